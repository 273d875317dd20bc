import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";

import { Bullet } from "../bullet/bullet.entity";
import { type Context } from "../context";
import { rootCount, rootPage } from "../db/list";
import { idForSlugOrId } from "../db/lookup";
import { Publication } from "../publication/publication.entity";
import { pageSize, toConnection } from "../relay/connection";
import { dateCursor, encodeCursor } from "../relay/cursor";
import { checkTimeWindow } from "../relay/filters";
import { PageArgs } from "../relay/pagination.args";
import { parseSearch } from "../search/query";
import { Speaker } from "../speaker/speaker.entity";
import { Story } from "../story/story.entity";
import { QuoteConnection, QuotesFilter, ReviewQueueFilter } from "./quote.args";
import { Quote } from "./quote.entity";
import { QUOTES, type QuoteListFilter, REVIEW_QUEUE, type ReviewQueueListFilter } from "./quote.loaders";

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
    checkTimeWindow(filter?.since, filter?.until);
    const narrowed: QuoteListFilter = {};
    if (filter?.speaker != null) narrowed.speakerId = await idForSlugOrId(ctx.dataSource, Speaker, "Speaker", filter.speaker, "speaker");
    if (filter?.story != null) narrowed.storyId = await idForSlugOrId(ctx.dataSource, Story, "Story", filter.story, "story");
    if (filter?.since != null) narrowed.since = filter.since;
    if (filter?.until != null) narrowed.until = filter.until;
    if (filter?.search != null) narrowed.search = parseSearch(filter.search);
    const rows = await rootPage(ctx.reads, QUOTES, limit + 1, page.after ?? null, narrowed);
    return toConnection(rows, limit, page.after, quoteEdge, () => rootCount(ctx.reads, QUOTES, narrowed));
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
    checkTimeWindow(filter?.since, filter?.until);
    const narrowed: ReviewQueueListFilter = filter?.includeReviewed ? {} : { unreviewed: true };
    if (filter?.publication != null) {
      narrowed.publicationId = await idForSlugOrId(ctx.dataSource, Publication, "Publication", filter.publication, "publication");
    }
    if (filter?.speaker != null) narrowed.speakerId = await idForSlugOrId(ctx.dataSource, Speaker, "Speaker", filter.speaker, "speaker");
    if (filter?.since != null) narrowed.since = filter.since;
    if (filter?.until != null) narrowed.until = filter.until;
    if (filter?.rule != null) narrowed.rule = filter.rule;
    const rows = await rootPage(ctx.reads, REVIEW_QUEUE, limit + 1, page.after ?? null, narrowed);
    return toConnection(rows, limit, page.after, queueEdge, () => rootCount(ctx.reads, REVIEW_QUEUE, narrowed));
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
