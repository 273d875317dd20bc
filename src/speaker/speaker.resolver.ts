import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";

import { type Context } from "../context";
import { rootCount, rootPage } from "../db/list";
import { BadInputError } from "../errors";
import { QuoteConnection } from "../quote/quote.args";
import { quoteEdge } from "../quote/quote.resolver";
import { ConnectionType, type Lazy, pageSize, toConnection } from "../relay/connection";
import { encodeCursor } from "../relay/cursor";
import { fromGlobalIdOfType } from "../relay/global-id";
import { PageArgs } from "../relay/pagination.args";
import { GraphQLDateTime } from "../relay/scalars";
import { type Quote } from "../quote/quote.entity";
import { StoryConnection } from "../story/story.args";
import { storyEdge } from "../story/story.resolver";
import { SpeakerRole } from "./speaker-role.entity";
import { Speaker } from "./speaker.entity";
import { SPEAKERS } from "./speaker.loaders";
import { checkTimelineWindow, TimelineBucket, TimelineInterval } from "./timeline";

export const SpeakerConnection = ConnectionType(Speaker, "Speaker", "A page of speakers, by name.");

/** LIKE treats % and _ as wildcards; a search for "100%" means the characters. */
const likePattern = (search: string) => `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

@Resolver(() => Speaker)
export class SpeakerResolver {
  @Query(() => Speaker, { nullable: true, description: "One speaker, by id or slug (give exactly one). Null when none matches." })
  async speaker(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { nullable: true, description: "Its global id." }) id?: string | null,
    @Arg("slug", () => String, { nullable: true, description: "Its slug." }) slug?: string | null,
  ): Promise<Speaker | null> {
    if ((id == null) === (slug == null)) throw new BadInputError("speaker needs exactly one of id or slug", { argument: "id" });
    if (id != null) return ctx.loaders.speakerById.load(fromGlobalIdOfType(id, "Speaker"));
    return ctx.loaders.speakerBySlug(slug!);
  }

  @Query(() => SpeakerConnection, { description: "Speakers ordered by name; `search` matches names and aliases, case-insensitively." })
  async speakers(
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("search", () => String, { nullable: true, description: "Part of a name or alias." }) search?: string | null,
  ) {
    const limit = pageSize(page.first);
    const term = search?.trim();
    if (search != null && !term) throw new BadInputError("search must not be empty", { argument: "search" });
    const filter = term ? { pattern: likePattern(term) } : {};
    const rows = await rootPage(ctx.reads, SPEAKERS, limit + 1, page.after ?? null, filter);
    for (const speaker of rows) ctx.loaders.speakerById.prime(speaker.id, speaker);
    return toConnection(
      rows,
      limit,
      page.after,
      (speaker) => ({ cursor: encodeCursor({ key: speaker.name, id: speaker.id }), node: speaker }),
      () => rootCount(ctx.reads, SPEAKERS, filter),
    );
  }

  @FieldResolver(() => [String], { description: 'Other names this speaker is known by, e.g. a surname ("Witkoff") or a transliteration.' })
  aliases(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<string[]> {
    return ctx.loaders.aliasesBySpeakerId.load(speaker.id);
  }

  @FieldResolver(() => QuoteConnection, {
    description:
      "Every quote this speaker made, across stories and publications, newest first. With `distinct: true`, each statement once (its first report), with `QuoteEdge.reportCount`.",
  })
  async quotes(
    @Root() speaker: Speaker,
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("since", () => GraphQLDateTime, { nullable: true, description: "Only quotes published at or after this time." })
    since?: Date | null,
    @Arg("until", () => GraphQLDateTime, { nullable: true, description: "Only quotes published before this time." }) until?: Date | null,
    @Arg("distinct", () => Boolean, {
      nullable: true,
      description: "List each statement once, by its first report (which must fall within since/until). Default false.",
    })
    distinct?: boolean | null,
  ) {
    const first = pageSize(page.first);
    checkTimelineWindow(since, until);
    const plain = !since && !until && !distinct;
    const filter = { since: since?.toISOString() ?? null, until: until?.toISOString() ?? null, distinct: Boolean(distinct) };
    const rows = await ctx.loaders.quotesBySpeakerId.load({ parentId: speaker.id, first, after: page.after ?? null, filter });
    const edge = (quote: Quote): { cursor: string; node: Quote; reportCount: Lazy<number> } => {
      if (!distinct) return quoteEdge(quote);
      const { cursor, node } = quoteEdge(quote);
      // A getter, like totalCount: counted only when selected.
      return {
        cursor,
        node,
        get reportCount() {
          return ctx.loaders.reportCountByStatementId.load(quote.statementId ?? quote.id);
        },
      };
    };
    return toConnection(rows, first, page.after, edge, () =>
      ctx.loaders.quoteCountBySpeakerId.load(plain ? { parentId: speaker.id } : { parentId: speaker.id, filter }),
    );
  }

  @FieldResolver(() => [TimelineBucket], {
    description:
      "How often this speaker was quoted over time: one bucket per UTC day, week (from Monday) or month with at least one quote, oldest first. Counts every report; many speakers' timelines load in one statement.",
  })
  quoteTimeline(
    @Root() speaker: Speaker,
    @Ctx() ctx: Context,
    @Arg("interval", () => TimelineInterval, { description: "The width of each bucket." }) interval: TimelineInterval,
    @Arg("since", () => GraphQLDateTime, { nullable: true, description: "Only quotes published at or after this time." })
    since?: Date | null,
    @Arg("until", () => GraphQLDateTime, { nullable: true, description: "Only quotes published before this time." }) until?: Date | null,
  ): Promise<TimelineBucket[]> {
    checkTimelineWindow(since, until);
    return ctx.loaders.timelineBySpeaker.load({ speakerId: speaker.id, interval, since: since ?? null, until: until ?? null });
  }

  @FieldResolver(() => StoryConnection, { description: "Stories quoting this speaker, newest first." })
  async stories(@Root() speaker: Speaker, @Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs) {
    const first = pageSize(page.first);
    const rows = await ctx.loaders.storiesBySpeakerId.load({ parentId: speaker.id, first, after: page.after ?? null });
    return toConnection(rows, first, page.after, storyEdge, () => ctx.loaders.storyCountBySpeakerId.load({ parentId: speaker.id }));
  }

  @FieldResolver(() => [SpeakerRole], { description: "Every role stories gave this speaker, newest first; `role` is the first of them." })
  roles(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<SpeakerRole[]> {
    return ctx.loaders.rolesBySpeakerId.load(speaker.id);
  }

  @FieldResolver(() => Int, { description: "How many quotes this speaker has in Newsgate." })
  quoteCount(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.quoteCountBySpeakerId.load({ parentId: speaker.id });
  }
}
