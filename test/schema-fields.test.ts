import "reflect-metadata";

import { graphql, type GraphQLObjectType } from "graphql";
import { Authorized, buildSchema, Ctx, Field, FieldResolver, getMetadataStorage, ObjectType, Query, Resolver, Root } from "type-graphql";

import { callFieldResolversDirectly, readPlainFieldsDirectly } from "../src/schema";

// Declared here only: this file's module registry (and type-graphql's metadata) is its own.
@ObjectType({ description: "A type with open and guarded fields." })
class Guarded {
  @Field({ description: "Anyone may read it." })
  open!: string;

  @Authorized("admin")
  @Field({ description: "Only an admin may read it." })
  secret!: string;
}

@Resolver(() => Guarded)
class GuardedResolver {
  @Query(() => Guarded, { description: "One of them." })
  guarded(): Guarded {
    return Object.assign(new Guarded(), { open: "o", secret: "s" });
  }

  @Query(() => Guarded, { description: "One of them, as a plain object: type-graphql makes it a Guarded first." })
  plain(): Guarded {
    return { open: "p", secret: "s" } as Guarded;
  }

  @FieldResolver(() => String, { description: "Computed from the root and the context." })
  shout(@Root() guarded: Guarded, @Ctx() ctx: { suffix: string }): string {
    return `${guarded.open.toUpperCase()}${ctx.suffix}${guarded instanceof Guarded ? "" : " (not a Guarded)"}`;
  }

  @Authorized()
  @FieldResolver(() => String, { description: "Computed, for callers with a key only." })
  whisper(@Root() guarded: Guarded): string {
    return guarded.open;
  }
}

describe("the schema's shortcuts past type-graphql's per-field wrappers", () => {
  it("reads plain fields directly, but a plain field under @Authorized keeps its check", async () => {
    readPlainFieldsDirectly();
    const fields = getMetadataStorage().fields.filter((field) => field.target === Guarded);
    expect(Object.fromEntries(fields.map((field) => [field.name, field.simple]))).toEqual({ open: true, secret: false });

    const schema = await buildSchema({ resolvers: [GuardedResolver], authChecker: () => false, validate: false });
    const result = await graphql({ schema, source: "{ guarded { open secret } }", contextValue: {} });
    expect(result.errors?.map((error) => [error.path?.join("."), error.message])).toEqual([
      ["guarded.secret", "Access denied! You don't have permission for this action!"],
    ]);
  });

  it("calls a @Root/@Ctx field resolver directly, converting a plain root as type-graphql does and keeping @Authorized ones wrapped", async () => {
    const schema = await buildSchema({ resolvers: [GuardedResolver], authChecker: () => false, validate: false });
    const fields = (schema.getType("Guarded") as GraphQLObjectType).getFields();
    const [shout, whisper] = [fields.shout.resolve, fields.whisper.resolve];
    callFieldResolversDirectly(schema);
    expect([fields.shout.resolve === shout, fields.whisper.resolve === whisper]).toEqual([false, true]);

    const run = (source: string) => graphql({ schema, source, contextValue: { suffix: "!" } });
    expect((await run("{ guarded { shout } plain { shout } }")).data).toEqual({ guarded: { shout: "O!" }, plain: { shout: "P!" } });
    expect((await run("{ guarded { whisper } }")).errors?.[0].message).toBe(
      "Access denied! You need to be authenticated to perform this action!",
    );
  });
});
