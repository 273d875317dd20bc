import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";

import { Bullet } from "../bullet/bullet.entity";
import { type Context } from "../context";
import { afterNewest } from "../db/keyset";
import { idForSlug } from "../db/lookup";
import { pageSize, toConnection } from "../relay/connection";
import { dateCursor, decodeCursor } from "../relay/cursor";
import { checkTimeWindow } from "../relay/filters";
import { PageArgs } from "../relay/pagination.args";
import { parseSearch } from "../search/query";
import { SearchIndex } from "../search/search-index";
import { Speaker } from "../speaker/speaker.entity";
import { Story } from "../story/story.entity";
import { QuoteConnection, QuotesFilter } from "./quote.args";
import { Quote } from "./quote.entity";

export const quoteEdge = (quote: Quote) => ({ cursor: dateCursor(quote.publishedAt, quote.id), node: quote });

@Resolver(() => Quote)
export class QuoteResolver {
  @Query(() => QuoteConnection, { description: "Quotes across all stories, newest story first, optionally filtered." })
  async quotes(
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => QuotesFilter, { nullable: true, description: "Conditions the quotes must meet." }) filter?: QuotesFilter | null,
  ) {
    const limit = pageSize(page.first);
    const cursor = page.after ? decodeCursor(page.after, "date") : null;
    checkTimeWindow(filter?.since, filter?.until);
    const speakerId = filter?.speaker ? await idForSlug(ctx.dataSource, Speaker, filter.speaker, "speaker") : null;
    const storyId = filter?.story ? await idForSlug(ctx.dataSource, Story, filter.story, "story") : null;
    const search = filter?.search != null ? SearchIndex.matching(ctx.dataSource, "quote", "q.id", parseSearch(filter.search)) : null;

    const filtered = () => {
      const query = ctx.dataSource.getRepository(Quote).createQueryBuilder("q");
      if (search) query.andWhere(search.sql, search.params);
      if (speakerId !== null) query.andWhere("q.speaker_id = :speakerId", { speakerId });
      if (storyId !== null) query.andWhere("q.story_id = :storyId", { storyId });
      if (filter?.since) query.andWhere("q.published_at >= :since", { since: filter.since });
      if (filter?.until) query.andWhere("q.published_at < :until", { until: filter.until });
      return query;
    };
    const keyset = afterNewest("q", cursor);
    const rows = await filtered()
      .andWhere(keyset.sql, keyset.params)
      .orderBy("q.published_at", "DESC")
      .addOrderBy("q.id", "DESC")
      .limit(limit + 1)
      .getMany();
    return toConnection(rows, limit, page.after, quoteEdge, () => filtered().getCount());
  }

  @FieldResolver(() => Speaker, { nullable: true, description: "Who said it; null when the story does not say." })
  speaker(@Root() quote: Quote, @Ctx() ctx: Context): Promise<Speaker | null> | null {
    return quote.speakerId === null ? null : ctx.loaders.speakerById.load(quote.speakerId);
  }

  @FieldResolver(() => Story, { description: "The story the quote appears in." })
  async story(@Root() quote: Quote, @Ctx() ctx: Context): Promise<Story> {
    return (await ctx.loaders.storyById.load(quote.storyId))!;
  }

  @FieldResolver(() => Bullet, { description: "The bullet the quote appears in." })
  async bullet(@Root() quote: Quote, @Ctx() ctx: Context): Promise<Bullet> {
    return (await ctx.loaders.bulletById.load(quote.bulletId))!;
  }
}
