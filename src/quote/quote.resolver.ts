import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";

import { Bullet } from "../bullet/bullet.entity";
import { type Context } from "../context";
import { afterAscending, afterNewest } from "../db/keyset";
import { idForSlug, idForSlugOrId } from "../db/lookup";
import { Publication } from "../publication/publication.entity";
import { pageSize, toConnection } from "../relay/connection";
import { dateCursor, decodeCursor, encodeCursor } from "../relay/cursor";
import { checkTimeWindow } from "../relay/filters";
import { PageArgs } from "../relay/pagination.args";
import { parseSearch } from "../search/query";
import { SearchIndex } from "../search/search-index";
import { Speaker } from "../speaker/speaker.entity";
import { Story } from "../story/story.entity";
import { QuoteConnection, QuotesFilter, ReviewQueueFilter } from "./quote.args";
import { Quote, QuoteReviewState } from "./quote.entity";

export const quoteEdge = (quote: Quote) => ({ cursor: dateCursor(quote.publishedAt, quote.id), node: quote, reportCount: 1 });

/** The review queue's order: least certain first. */
const queueEdge = (quote: Quote) => ({
  cursor: encodeCursor({ key: quote.attributionConfidence, id: quote.id }),
  node: quote,
  reportCount: 1,
});

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

  @Query(() => QuoteConnection, {
    description:
      "Quotes for editors to review, least certain attribution first (then by id): by default only UNREVIEWED ones. Readers may browse it; acting on it needs an editor key.",
  })
  async reviewQueue(
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => ReviewQueueFilter, { nullable: true, description: "Conditions the quotes must meet." })
    filter?: ReviewQueueFilter | null,
  ) {
    const limit = pageSize(page.first);
    const cursor = page.after ? decodeCursor(page.after, "number") : null;
    checkTimeWindow(filter?.since, filter?.until);
    const publicationId = filter?.publication
      ? await idForSlugOrId(ctx.dataSource, Publication, "Publication", filter.publication, "publication")
      : null;
    const speakerId = filter?.speaker ? await idForSlugOrId(ctx.dataSource, Speaker, "Speaker", filter.speaker, "speaker") : null;

    const filtered = () => {
      const query = ctx.dataSource.getRepository(Quote).createQueryBuilder("q");
      if (!filter?.includeReviewed) query.andWhere("q.review_state = :unreviewed", { unreviewed: QuoteReviewState.UNREVIEWED });
      if (publicationId !== null)
        query.andWhere("q.story_id IN (SELECT s.id FROM stories s WHERE s.publication_id = :publicationId)", { publicationId });
      if (speakerId !== null) query.andWhere("q.speaker_id = :speakerId", { speakerId });
      if (filter?.since) query.andWhere("q.published_at >= :since", { since: filter.since });
      if (filter?.until) query.andWhere("q.published_at < :until", { until: filter.until });
      if (filter?.rule) query.andWhere("q.attribution_rule = :rule", { rule: filter.rule });
      return query;
    };
    const keyset = afterAscending("q", "attribution_confidence", cursor);
    const rows = await filtered()
      .andWhere(keyset.sql, keyset.params)
      .orderBy("q.attribution_confidence", "ASC")
      .addOrderBy("q.id", "ASC")
      .limit(limit + 1)
      .getMany();
    return toConnection(rows, limit, page.after, queueEdge, () => filtered().getCount());
  }

  @FieldResolver(() => QuoteConnection, {
    description:
      "Other reports of the same statement: quotes by the same speaker with the same words (ignoring quotation marks, case, punctuation and spacing), or one a part of the other. Earliest first.",
  })
  async echoes(@Root() quote: Quote, @Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs) {
    const first = pageSize(page.first);
    const rows = await ctx.loaders.echoesByQuoteId.load({ parentId: quote.id, first, after: page.after ?? null });
    return toConnection(
      rows,
      first,
      page.after,
      (echo) => ({ cursor: dateCursor(echo.publishedAt, echo.id), node: echo, reportCount: 1 }),
      () => this.echoCount(quote, ctx),
    );
  }

  @FieldResolver(() => Int, { description: "How many other reports of the same statement there are (0 when this is the only one)." })
  async echoCount(@Root() quote: Quote, @Ctx() ctx: Context): Promise<number> {
    if (quote.statementId === null) return 0;
    return Math.max(0, (await ctx.loaders.reportCountByStatementId.load(quote.statementId)) - 1);
  }

  @FieldResolver(() => Quote, {
    description:
      "The earliest report of this statement (the quote itself when it came first); its `story` and `story.publication` say where.",
  })
  async firstReported(@Root() quote: Quote, @Ctx() ctx: Context): Promise<Quote> {
    if (quote.statementId === null || quote.statementId === quote.id) return quote;
    // When this is not the first report, the first is its earliest echo. Asking the echoes
    // loader (rather than quoteById) lets it answer together with any `echoes` page of the
    // same request, so their stories and publications load in one batch, not two.
    const [earliest] = await ctx.loaders.echoesByQuoteId.load({ parentId: quote.id, first: 1, after: null });
    return earliest ?? quote;
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
