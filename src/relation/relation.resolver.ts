import { Args, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from "type-graphql";

import { type Context } from "../context";
import { PageInfo, pageSize, toConnection } from "../relay/connection";
import { encodeCursor } from "../relay/cursor";
import { PageArgs } from "../relay/pagination.args";
import { Story } from "../story/story.entity";
import { type LoadedRelation } from "./relation.loaders";
import { RelationReason } from "./story-relation.entity";

@ObjectType({ description: "A related story, with why it is related and where it ranks." })
export class RelatedStoryEdge {
  @Field(() => String, { description: "Opaque cursor; pass as `after` to continue after this item." })
  cursor!: string;

  @Field(() => Story, { description: "The related story." })
  node!: Story;

  @Field(() => RelationReason, { description: "Why it is related." })
  reason!: RelationReason;

  @Field(() => Int, { description: "Its place in the list; lower comes first." })
  rank!: number;
}

@ObjectType({ description: "A page of related stories, in rank order." })
export class RelatedStoryConnection {
  @Field(() => [RelatedStoryEdge], { description: "The related stories on this page, in rank order." })
  edges!: RelatedStoryEdge[];

  @Field(() => PageInfo, { description: "Cursors and whether more pages exist." })
  pageInfo!: PageInfo;

  // `simple: false`: may hold a promise, which a field read directly (readPlainFieldsDirectly) would not await.
  @Field(() => Int, { simple: false, description: "How many related stories there are in all." })
  totalCount!: number | Promise<number>;
}

@Resolver(() => Story)
export class StoryRelationResolver {
  @FieldResolver(() => RelatedStoryConnection, { description: "Related stories: editors' links first, then computed ones, by rank." })
  async related(@Root() story: Story, @Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs): Promise<RelatedStoryConnection> {
    const first = pageSize(page.first);
    const rows = await ctx.loaders.relatedByStoryId.load({ parentId: story.id, first, after: page.after ?? null });
    return toConnection<LoadedRelation, RelatedStoryEdge>(
      rows,
      first,
      page.after,
      (relation) => ({
        cursor: encodeCursor({ key: relation.rank, id: relation.id }),
        node: relation.relatedStory,
        reason: relation.reason,
        rank: relation.rank,
      }),
      () => ctx.loaders.relatedCountByStoryId.load({ parentId: story.id }),
    );
  }
}
