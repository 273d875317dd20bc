import { Arg, Ctx, Field, ID, InputType, Resolver, Root, Subscription } from "type-graphql";

import { type Context } from "../context";
import { Quote } from "../quote/quote.entity";
import { fromGlobalIdOfType } from "../relay/global-id";
import { Story } from "../story/story.entity";
import { type QuoteEvent, type StoryEvent, TOPICS } from "./event-bus";

@InputType({ description: "Which newly published stories to hear about. All given conditions must hold." })
export class StoryEventFilter {
  @Field(() => String, { nullable: true, description: "Only stories from this publication (its slug)." })
  publication?: string | null;

  @Field(() => String, { nullable: true, description: "Only stories in this section (case-insensitive)." })
  section?: string | null;

  @Field(() => String, { nullable: true, description: "Only stories with this topic." })
  topic?: string | null;
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

  @Subscription(() => Quote, {
    nullable: true,
    topics: TOPICS.quoteAdded,
    filter: ({ payload, args }) => {
      const speaker = (args as { speaker?: string | null }).speaker;
      return !speaker || (payload as QuoteEvent).speakerSlug === speaker;
    },
    description: "Each new quote, optionally only those by one speaker.",
  })
  quoteAdded(
    @Root() event: QuoteEvent,
    @Ctx() ctx: Context,
    @Arg("speaker", () => String, { nullable: true, description: "Only quotes by this speaker (their slug)." }) _speaker?: string | null,
  ): Promise<Quote | null> {
    return ctx.loaders.quoteById.load(event.quoteId);
  }
}
