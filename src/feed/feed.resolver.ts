import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from "type-graphql";

import { type Context } from "../context";
import { rootCount, rootPage } from "../db/list";
import { BadInputError } from "../errors";
import { Publication } from "../publication/publication.entity";
import { ConnectionType, pageSize, toConnection } from "../relay/connection";
import { encodeCursor } from "../relay/cursor";
import { fromGlobalIdOfType } from "../relay/global-id";
import { PageArgs } from "../relay/pagination.args";
import { Feed } from "./feed.entity";
import { FEEDS } from "./feed.loaders";
import { Feeds } from "./feeds";

export const FeedConnection = ConnectionType(Feed, "Feed", "A page of feeds, by URL.");

@InputType({ description: "A publication's RSS or Atom feed to poll." })
export class AddFeedInput {
  @Field(() => String, { description: "The slug of the publication whose articles the feed lists; it must exist." })
  publication!: string;

  @Field(() => String, {
    description:
      "The feed's http(s) address. Private, loopback and link-local hosts are refused when polled unless the operator allows them.",
  })
  url!: string;
}

@Resolver(() => Feed)
export class FeedResolver {
  @Query(() => FeedConnection, { description: "Registered feeds with their polling status, ordered by URL." })
  async feeds(
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("publication", () => String, { nullable: true, description: "Only the feeds of the publication with this slug." })
    publication?: string | null,
  ) {
    const limit = pageSize(page.first);
    const filter = publication != null ? { publicationSlug: publication } : {};
    const rows = await rootPage(ctx.reads, FEEDS, limit + 1, page.after ?? null, filter);
    return toConnection(
      rows,
      limit,
      page.after,
      (feed) => ({ cursor: encodeCursor({ key: feed.url, id: feed.id }), node: feed }),
      () => rootCount(ctx.reads, FEEDS, filter),
    );
  }

  @FieldResolver(() => Publication, { description: "The publication whose articles the feed lists." })
  async publication(@Root() feed: Feed, @Ctx() ctx: Context): Promise<Publication> {
    return (await ctx.loaders.publicationById.load(feed.publicationId))!;
  }

  @Authorized("editor")
  @Mutation(() => Feed, {
    description: "Registers a feed for a publication; it is polled from the next poller tick on. Needs an editor key.",
  })
  addFeed(@Ctx() ctx: Context, @Arg("input", () => AddFeedInput, { description: "The feed and its publication." }) input: AddFeedInput) {
    if (input.publication.length > 200)
      throw new BadInputError("input.publication is longer than 200 characters", { argument: "input.publication" });
    return new Feeds(ctx.dataSource).add(input.publication, input.url);
  }

  @Authorized("editor")
  @Mutation(() => Feed, {
    description:
      "Stops polling a feed and forgets its item log; stories ingested from it stay. Returns the feed as it was. Needs an editor key.",
  })
  removeFeed(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The feed's id." }) id: string) {
    return new Feeds(ctx.dataSource).remove(fromGlobalIdOfType(id, "Feed"));
  }
}
