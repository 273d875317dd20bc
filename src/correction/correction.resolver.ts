import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from "type-graphql";

import { type Context } from "../context";
import { rootCount, rootPage } from "../db/list";
import { BadInputError } from "../errors";
import { afterCommit, type Written } from "../events/effects";
import { Quote } from "../quote/quote.entity";
import { ConnectionType, pageSize, toConnection } from "../relay/connection";
import { dateCursor } from "../relay/cursor";
import { fromGlobalId, fromGlobalIdOfType, type NodeTypeName, toGlobalId } from "../relay/global-id";
import { checkTimeWindow } from "../relay/filters";
import { PageArgs } from "../relay/pagination.args";
import { GraphQLDateTime } from "../relay/scalars";
import { Speaker, SpeakerKind } from "../speaker/speaker.entity";
import { Story } from "../story/story.entity";
import { CORRECTIONS, type CorrectionListFilter } from "./correction.loaders";
import { Correction, CorrectionKind } from "./correction.entity";
import { Corrections } from "./corrections";

export const CorrectionConnection = ConnectionType(Correction, "Correction", "A page of editorial corrections, newest first.");

@InputType({ description: "Narrows the corrections log." })
export class CorrectionsFilter {
  @Field(() => ID, { nullable: true, description: "Only corrections to this object (a Quote, Speaker or Story id)." })
  target?: string | null;

  @Field(() => CorrectionKind, { nullable: true, description: "Only corrections of this kind." })
  kind?: CorrectionKind | null;

  @Field(() => String, { nullable: true, description: "Only corrections made by this client app (its name, exactly)." })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'Only corrections to objects of this type: "Quote", "Speaker" or "Story".' })
  targetType?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only corrections made at or after this time." })
  since?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only corrections made before this time." })
  until?: Date | null;
}

const TARGET_TYPES = ["Quote", "Speaker", "Story"];

const corrections = (ctx: Context) => new Corrections(ctx.dataSource, ctx.caller.clientApp?.name ?? null);

/** Acts on a correction's effects once it committed, and answers with what it changed. */
async function committed<T>(ctx: Context, written: Promise<Written<T>>): Promise<T> {
  const { result, effects } = await written;
  await afterCommit(ctx.events, effects);
  return result;
}

@Resolver(() => Correction)
export class CorrectionResolver {
  @Query(() => CorrectionConnection, { description: "The editorial corrections log, newest first." })
  async corrections(
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => CorrectionsFilter, { nullable: true, description: "Conditions the corrections must meet." })
    filter?: CorrectionsFilter | null,
  ) {
    const limit = pageSize(page.first);
    const target = filter?.target ? fromGlobalId(filter.target) : null;
    checkTimeWindow(filter?.since, filter?.until);
    if (filter?.targetType != null && !TARGET_TYPES.includes(filter.targetType)) {
      throw new BadInputError(`filter.targetType must be one of ${TARGET_TYPES.join(", ")}`, { argument: "filter" });
    }
    const narrowed: CorrectionListFilter = {};
    if (target) narrowed.target = target;
    if (filter?.kind) narrowed.kind = filter.kind;
    if (filter?.actor != null) narrowed.actor = filter.actor;
    if (filter?.targetType != null) narrowed.targetType = filter.targetType;
    if (filter?.since) narrowed.since = filter.since;
    if (filter?.until) narrowed.until = filter.until;
    const rows = await rootPage(ctx.reads, CORRECTIONS, limit + 1, page.after ?? null, narrowed);
    return toConnection(
      rows,
      limit,
      page.after,
      (c) => ({ cursor: dateCursor(c.createdAt, c.id), node: c }),
      () => rootCount(ctx.reads, CORRECTIONS, narrowed),
    );
  }

  @FieldResolver(() => ID, { description: "The global id of the object changed." })
  target(@Root() correction: Correction): string {
    return toGlobalId(correction.targetType as NodeTypeName, correction.targetId);
  }

  @Authorized("editor")
  @Mutation(() => Quote, { description: "Sets who said a quote, or clears it with `speaker: null`. Recorded in the corrections log." })
  async setQuoteSpeaker(
    @Ctx() ctx: Context,
    @Arg("quote", () => ID, { description: "The quote's id." }) quote: string,
    @Arg("speaker", () => ID, { nullable: true, description: "The speaker's id; null clears the speaker." }) speaker: string | null,
  ): Promise<Quote> {
    const quoteId = fromGlobalIdOfType(quote, "Quote");
    return committed(ctx, corrections(ctx).setQuoteSpeaker(quoteId, speaker == null ? null : fromGlobalIdOfType(speaker, "Speaker")));
  }

  @Authorized("editor")
  @Mutation(() => Quote, {
    description:
      "Confirms a quote's attribution as it stands (its speaker, or that it has none): `reviewState` becomes CONFIRMED. Recorded in the corrections log.",
  })
  async confirmQuote(@Ctx() ctx: Context, @Arg("quote", () => ID, { description: "The quote's id." }) quote: string): Promise<Quote> {
    return committed(ctx, corrections(ctx).confirmQuote(fromGlobalIdOfType(quote, "Quote")));
  }

  @Authorized("editor")
  @Mutation(() => Quote, {
    description:
      "Creates a speaker the parser did not know and gives them the quote (`reviewState` CORRECTED). Both are recorded in the corrections log (CREATE_SPEAKER, SET_QUOTE_SPEAKER).",
  })
  async createSpeakerForQuote(
    @Ctx() ctx: Context,
    @Arg("quote", () => ID, { description: "The quote's id." }) quote: string,
    @Arg("name", () => String, { description: "The new speaker's canonical name, without titles (1 to 300 characters)." }) name: string,
    @Arg("kind", () => SpeakerKind, { nullable: true, description: "Person (the default) or organisation." }) kind?: SpeakerKind | null,
  ): Promise<Quote> {
    return committed(ctx, corrections(ctx).createSpeakerForQuote(fromGlobalIdOfType(quote, "Quote"), name, kind ?? SpeakerKind.PERSON));
  }

  @Authorized("editor")
  @Mutation(() => Speaker, {
    description: "Merges one speaker into another: quotes, aliases and roles move; the old id still resolves to the merged speaker.",
  })
  async mergeSpeakers(
    @Ctx() ctx: Context,
    @Arg("speaker", () => ID, { description: "The speaker that goes away." }) speaker: string,
    @Arg("into", () => ID, { description: "The speaker that remains." }) into: string,
  ): Promise<Speaker> {
    const [sourceId, targetId] = [fromGlobalIdOfType(speaker, "Speaker"), fromGlobalIdOfType(into, "Speaker")];
    return committed(ctx, corrections(ctx).mergeSpeakers(sourceId, targetId));
  }

  @Authorized("editor")
  @Mutation(() => Speaker, { description: "Changes a speaker's canonical name; the old name becomes an alias." })
  async renameSpeaker(
    @Ctx() ctx: Context,
    @Arg("speaker", () => ID, { description: "The speaker's id." }) speaker: string,
    @Arg("name", () => String, { description: "The new canonical name." }) name: string,
  ): Promise<Speaker> {
    const speakerId = fromGlobalIdOfType(speaker, "Speaker");
    return committed(ctx, corrections(ctx).renameSpeaker(speakerId, name));
  }

  @Authorized("editor")
  @Mutation(() => Speaker, { description: "Sets a speaker's current role (null clears it); the role joins the speaker's role history." })
  async setSpeakerRole(
    @Ctx() ctx: Context,
    @Arg("speaker", () => ID, { description: "The speaker's id." }) speaker: string,
    @Arg("role", () => String, { nullable: true, description: 'The role, e.g. "finance minister".' }) role: string | null,
  ): Promise<Speaker> {
    const speakerId = fromGlobalIdOfType(speaker, "Speaker");
    return committed(ctx, corrections(ctx).setSpeakerRole(speakerId, role ?? null));
  }

  @Authorized("editor")
  @Mutation(() => Story, {
    description: "Links a related story editorially: it is listed after earlier editorial links, before computed ones.",
  })
  async linkStories(
    @Ctx() ctx: Context,
    @Arg("story", () => ID, { description: "The story whose related list changes." }) story: string,
    @Arg("related", () => ID, { description: "The story to list as related." }) related: string,
  ): Promise<Story> {
    const [storyId, relatedId] = [fromGlobalIdOfType(story, "Story"), fromGlobalIdOfType(related, "Story")];
    return committed(ctx, corrections(ctx).linkStories(storyId, relatedId));
  }

  @Authorized("editor")
  @Mutation(() => Story, { description: "Removes a story from another's related list, whatever put it there." })
  async unlinkStories(
    @Ctx() ctx: Context,
    @Arg("story", () => ID, { description: "The story whose related list changes." }) story: string,
    @Arg("related", () => ID, { description: "The story to remove from it." }) related: string,
  ): Promise<Story> {
    const [storyId, relatedId] = [fromGlobalIdOfType(story, "Story"), fromGlobalIdOfType(related, "Story")];
    return committed(ctx, corrections(ctx).unlinkStories(storyId, relatedId));
  }
}
