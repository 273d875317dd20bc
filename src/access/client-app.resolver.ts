import { Arg, Authorized, Ctx, Directive, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";

import { type Context } from "../context";
import { TOPICS } from "../events/event-bus";
import { ClientApp } from "./client-app.entity";
import { createClientApp, listClientApps, rotateKey, setClientAppEnabled } from "./client-apps";
import { ClientRole } from "./roles";

@InputType({ description: "A new client app." })
class CreateClientAppInput {
  @Field(() => String, { description: 'Unique name: lowercase letters, digits, ".", "-", "_", e.g. "ios-app".' })
  name!: string;

  @Field(() => ClientRole, { description: "What its keys may do." })
  role!: ClientRole;

  @Field(() => Int, { nullable: true, description: "Requests per minute; default 600, 0 for no limit." })
  rateLimitPerMinute?: number | null;

  @Field(() => Int, { nullable: true, description: "Its own query depth limit; omit to use the server's." })
  maxDepth?: number | null;

  @Field(() => Int, { nullable: true, description: "Its own alias limit; omit to use the server's." })
  maxAliases?: number | null;

  @Field(() => Int, { nullable: true, description: "Its own query cost limit; omit to use the server's." })
  maxCost?: number | null;
}

@ObjectType({ description: "A client app with a freshly issued API key." })
class IssuedKey {
  @Field(() => ClientApp, { description: "The client app the key belongs to." })
  clientApp!: ClientApp;

  @Field(() => String, { description: "The new API key. Shown this once: Newsgate keeps only its hash." })
  key!: string;
}

@Resolver(() => ClientApp)
export class ClientAppResolver {
  // Depends on the key, so no shared cache may keep it.
  @Directive("@cacheControl(maxAge: 0, scope: PRIVATE)")
  @Query(() => ClientApp, { nullable: true, description: "The client app of the API key this request carries; null without a key." })
  viewer(@Ctx() ctx: Context): ClientApp | null {
    return ctx.caller.clientApp;
  }

  @Authorized("admin")
  @Directive("@cacheControl(maxAge: 0, scope: PRIVATE)")
  @Query(() => [ClientApp], { description: "Every registered client app, by name. Admins only." })
  async clientApps(@Ctx() ctx: Context): Promise<ClientApp[]> {
    return (await listClientApps(ctx.dataSource)).map((summary) => summary.clientApp);
  }

  @Authorized("admin")
  @Mutation(() => IssuedKey, { description: "Registers a client app and issues its first API key. Admins only." })
  createClientApp(
    @Ctx() ctx: Context,
    @Arg("input", () => CreateClientAppInput, { description: "The new app." }) input: CreateClientAppInput,
  ): Promise<IssuedKey> {
    return createClientApp(ctx.dataSource, {
      name: input.name,
      role: input.role,
      rateLimitPerMinute: input.rateLimitPerMinute ?? undefined,
      maxDepth: input.maxDepth,
      maxAliases: input.maxAliases,
      maxCost: input.maxCost,
    });
  }

  @Authorized("admin")
  @Mutation(() => IssuedKey, {
    description: "Issues a new API key for a client app and revokes its older ones (open sockets using them close with 4401). Admins only.",
  })
  async rotateClientAppKey(
    @Ctx() ctx: Context,
    @Arg("name", () => String, { description: "The client app's name." }) name: string,
  ): Promise<IssuedKey> {
    const { clientApp, key } = await rotateKey(ctx.dataSource, name);
    // Sockets on every replica holding a rotated-out key close (4401).
    ctx.events.publish(TOPICS.clientAppChanged, { clientAppId: clientApp.id });
    return { clientApp, key };
  }

  @Authorized("admin")
  @Mutation(() => ClientApp, {
    description: "Disables (its keys are refused at once and its open sockets close with 4403) or re-enables a client app. Admins only.",
  })
  async setClientAppEnabled(
    @Ctx() ctx: Context,
    @Arg("name", () => String, { description: "The client app's name." }) name: string,
    @Arg("enabled", () => Boolean, { description: "False to disable, true to enable." }) enabled: boolean,
  ): Promise<ClientApp> {
    const clientApp = await setClientAppEnabled(ctx.dataSource, name, enabled);
    // A disabled app's sockets on every replica close (4403).
    ctx.events.publish(TOPICS.clientAppChanged, { clientAppId: clientApp.id });
    return clientApp;
  }
}
