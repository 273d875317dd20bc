import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";

import { type Context } from "../context";
import { rootCount, rootPage } from "../db/list";
import { ConnectionType, pageSize, toConnection } from "../relay/connection";
import { encodeCursor } from "../relay/cursor";
import { PageArgs } from "../relay/pagination.args";
import { StoryConnection } from "../story/story.args";
import { storyEdge } from "../story/story.resolver";
import { Publication } from "./publication.entity";
import { PUBLICATIONS } from "./publication.loaders";

export const PublicationConnection = ConnectionType(Publication, "Publication", "A page of publications, by name.");

@Resolver(() => Publication)
export class PublicationResolver {
  @Query(() => Publication, { nullable: true, description: "One publication by slug; null when none matches." })
  async publication(
    @Ctx() ctx: Context,
    @Arg("slug", () => String, { description: "The publication's slug." }) slug: string,
  ): Promise<Publication | null> {
    const publication = await ctx.dataSource.getRepository(Publication).findOneBy({ slug });
    if (publication) ctx.loaders.publicationById.prime(publication.id, publication);
    return publication;
  }

  @Query(() => PublicationConnection, { description: "All publications, ordered by name." })
  async publications(@Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs) {
    const limit = pageSize(page.first);
    const rows = await rootPage(ctx.reads, PUBLICATIONS, limit + 1, page.after ?? null);
    return toConnection(
      rows,
      limit,
      page.after,
      (publication) => ({ cursor: encodeCursor({ key: publication.name, id: publication.id }), node: publication }),
      () => rootCount(ctx.reads, PUBLICATIONS),
    );
  }

  @FieldResolver(() => StoryConnection, { description: "The publication's stories, newest first." })
  async stories(@Root() publication: Publication, @Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs) {
    const first = pageSize(page.first);
    const rows = await ctx.loaders.storiesByPublicationId.load({ parentId: publication.id, first, after: page.after ?? null });
    return toConnection(rows, first, page.after, storyEdge, () => ctx.loaders.storyCountByPublicationId.load({ parentId: publication.id }));
  }
}
