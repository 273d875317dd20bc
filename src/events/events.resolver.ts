import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Resolver, Root, Subscription } from "type-graphql";

import { type Context } from "../context";
import { Quote } from "../quote/quote.entity";
import { fromGlobalIdOfType } from "../relay/global-id";
import { Story } from "../story/story.entity";
import { type QuotesEvent, type StoryEvent, TOPICS } from "./event-bus";

@InputType({ description: "Which newly published stories to hear about. All given conditions must hold." })
export class StoryEventFilter {
  @Field(() => String, { nullable: true, description: "Only stories from this publication (its slug)." })
  publication?: string | null;

  @Field(() => String, { nullable: true, description: "Only stories in this section (case-insensitive)." })
  section?: string | null;

  @Field(() => String, { nullable: true, description: "Only stories with this topic." })
  topic?: string | null;
}

@ObjectType({
  description:
    "Quotes stored with one newly published story: one event per story, however many quotes it holds (a page may have thousands).",
})
export class QuotesAdded {
  storyId!: number;
  /** The subscriber's speaker filter, if any: `quotes` and `count` follow it. */
  speaker!: string | null;

  @Field(() => Int, { description: "How many new quotes the story has (only the filtered speaker's, with a speaker filter)." })
  count!: number;
}

const matches = (event: StoryEvent, filter: StoryEventFilter | null | undefined): boolean =>
  (!filter?.publication || filter.publication === event.publication) &&
  (!filter?.section || filter.section.toLowerCase() === event.section?.toLowerCase()) &&
  (!filter?.topic || event.topics.includes(filter.topic));

/**
 * Live updates over the graphql-ws protocol on /graphql. Events carry ids; each subscriber's
 * selection is then resolved like a query, with its own request context and loaders.
 */
@Resolver()
export class EventsResolver {
  @Subscription(() => Story, {
    nullable: true,
    topics: TOPICS.storyPublished,
    filter: ({ payload, args }) => matches(payload as StoryEvent, (args as { filter?: StoryEventFilter }).filter),
    description: "Each newly ingested story, optionally filtered.",
  })
  storyPublished(
    @Root() event: StoryEvent,
    @Ctx() ctx: Context,
    @Arg("filter", () => StoryEventFilter, { nullable: true, description: "Which stories to hear about." })
    _filter?: StoryEventFilter | null,
  ): Promise<Story | null> {
    return ctx.loaders.storyById.load(event.storyId);
  }

  @Subscription(() => Story, {
    nullable: true,
    topics: ({ args }) => {
      // Decoding here answers a malformed id with BAD_USER_INPUT when subscribing.
      fromGlobalIdOfType((args as { id: string }).id, "Story");
      return TOPICS.storyUpdated;
    },
    filter: ({ payload, args }) => (payload as StoryEvent).storyId === fromGlobalIdOfType((args as { id: string }).id, "Story"),
    description: "A story each time it changes: re-ingested, or corrected by an editor.",
  })
  storyUpdated(
    @Root() event: StoryEvent,
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The story's id." }) _id: string,
  ): Promise<Story | null> {
    return ctx.loaders.storyById.load(event.storyId);
  }

  @Subscription(() => QuotesAdded, {
    nullable: true,
    topics: TOPICS.quoteAdded,
    filter: ({ payload, args }) => {
      const speaker = (args as { speaker?: string | null }).speaker;
      return !speaker || ((payload as QuotesEvent).bySpeaker[speaker] ?? 0) > 0;
    },
    description:
      "New quotes, once per newly published story that has any (not once per quote), optionally only those by one speaker. " +
      "Select `quotes` for the quotes themselves.",
  })
  quoteAdded(
    @Root() event: QuotesEvent,
    @Arg("speaker", () => String, { nullable: true, description: "Only quotes by this speaker (their slug)." }) speaker?: string | null,
  ): QuotesAdded {
    return Object.assign(new QuotesAdded(), {
      storyId: event.storyId,
      speaker: speaker ?? null,
      count: speaker ? (event.bySpeaker[speaker] ?? 0) : event.quotes,
    });
  }
}

@Resolver(() => QuotesAdded)
export class QuotesAddedResolver {
  @FieldResolver(() => Story, { nullable: true, description: "The story the quotes were published in." })
  story(@Root() added: QuotesAdded, @Ctx() ctx: Context): Promise<Story | null> {
    return ctx.loaders.storyById.load(added.storyId);
  }

  @FieldResolver(() => [Quote], { description: "The new quotes, in story order (only the filtered speaker's, with a speaker filter)." })
  async quotes(@Root() added: QuotesAdded, @Ctx() ctx: Context): Promise<Quote[]> {
    const quotes = await ctx.loaders.quotesByStoryId.load(added.storyId);
    if (!added.speaker) return quotes;
    const speakers = await Promise.all(quotes.map((q) => (q.speakerId === null ? null : ctx.loaders.speakerById.load(q.speakerId))));
    return quotes.filter((_, i) => speakers[i]?.slug === added.speaker);
  }
}
