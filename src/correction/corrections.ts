import { type DataSource, type EntityManager } from "typeorm";

import { writeTransaction } from "../db/write-queue";
import { BadInputError, NotFoundError } from "../errors";
import { readStoryEvent } from "../events/announce";
import { type Effects, type Written } from "../events/effects";
import { nameKey, slugify, tokenKey } from "../ingestion/names";
import { uniqueSlug } from "../ingestion/save-story";
import { AttributionRule, Quote, QuoteReviewState } from "../quote/quote.entity";
import { refreshStatements } from "../quote/statements";
import { RelationReason, StoryRelation } from "../relation/story-relation.entity";
import { SearchIndex } from "../search/search-index";
import { SpeakerAlias } from "../speaker/speaker-alias.entity";
import { SpeakerRole } from "../speaker/speaker-role.entity";
import { Speaker, SpeakerKind } from "../speaker/speaker.entity";
import { Story } from "../story/story.entity";
import { Correction, CorrectionKind } from "./correction.entity";

/**
 * Editorial corrections. Each runs in one write transaction together with the record of
 * what it changed, so the log never disagrees with the data.
 */
export class Corrections {
  constructor(
    private readonly dataSource: DataSource,
    private readonly actor: string | null,
  ) {}

  /**
   * Sets who said a quote (null: nobody identifiable). The quote leaves its old speaker's
   * statement and joins the new speaker's matching one.
   */
  setQuoteSpeaker(quoteId: number, speakerId: number | null): Promise<Written<Quote>> {
    return this.write(async (manager) => {
      const quote = await mustFind(manager, Quote, quoteId, "quote");
      if (speakerId !== null) await liveSpeaker(manager, speakerId);
      return this.reassign(
        manager,
        quote,
        speakerId,
        speakerId === null ? CorrectionKind.CLEAR_QUOTE_SPEAKER : CorrectionKind.SET_QUOTE_SPEAKER,
      );
    });
  }

  /** A speaker the parser did not know, made from a quote, which it is then given. */
  createSpeakerForQuote(quoteId: number, name: string, kind: SpeakerKind): Promise<Written<Quote>> {
    const clean = cleanName(name);
    return this.write(async (manager) => {
      const quote = await mustFind(manager, Quote, quoteId, "quote");
      const speaker = await manager.save(
        manager.create(Speaker, {
          slug: await uniqueSlug(manager, Speaker, slugify(clean)),
          name: clean,
          kind,
          role: null,
          nameKey: nameKey(clean),
          surnameKey: tokenKey(clean.split(" ").at(-1)!),
          mergedIntoId: null,
        }),
      );
      await SearchIndex.indexSpeaker(manager, speaker.id);
      await this.record(
        manager,
        CorrectionKind.CREATE_SPEAKER,
        "Speaker",
        speaker.id,
        {},
        {
          name: speaker.name,
          kind: speaker.kind,
          slug: speaker.slug,
          fromQuoteId: quoteId,
        },
      );
      return this.reassign(manager, quote, speaker.id, CorrectionKind.SET_QUOTE_SPEAKER);
    });
  }

  /** An editor agrees with the quote's current attribution. */
  confirmQuote(quoteId: number): Promise<Written<Quote>> {
    return this.write(async (manager) => {
      const quote = await mustFind(manager, Quote, quoteId, "quote");
      const before = reviewFields(quote);
      Object.assign(quote, { reviewState: QuoteReviewState.CONFIRMED, reviewedAt: new Date(), reviewedBy: this.actor });
      await manager.save(quote);
      await this.record(manager, CorrectionKind.CONFIRM_QUOTE, "Quote", quoteId, before, {
        ...reviewFields(quote),
        speakerId: quote.speakerId,
      });
      return { result: quote, effects: { storyIds: [quote.storyId], speakerIds: [quote.speakerId], correction: true } };
    });
  }

  private async reassign(manager: EntityManager, quote: Quote, speakerId: number | null, kind: CorrectionKind): Promise<Written<Quote>> {
    const previousSpeakerId = quote.speakerId;
    const previousStatementId = quote.statementId;
    const before = {
      speakerId: quote.speakerId,
      attributionRule: quote.attributionRule,
      attributionConfidence: quote.attributionConfidence,
      ...reviewFields(quote),
    };
    Object.assign(quote, {
      speakerId,
      attributionRule: AttributionRule.EDITOR,
      attributionConfidence: 1,
      reviewState: QuoteReviewState.CORRECTED,
      reviewedAt: new Date(),
      reviewedBy: this.actor,
      // Without a speaker a quote is no statement's report; with one, refreshStatements places it.
      statementId: speakerId === null ? null : quote.statementId,
    });
    await manager.save(quote);
    const statements = await refreshStatements(manager, [previousSpeakerId, speakerId], [previousStatementId]);
    await this.record(manager, kind, "Quote", quote.id, before, {
      speakerId,
      attributionRule: AttributionRule.EDITOR,
      attributionConfidence: 1,
      ...reviewFields(quote),
    });
    const refreshed = (await manager.findOneBy(Quote, { id: quote.id }))!;
    return {
      result: refreshed,
      // `lists`: the quote may now match a filtered list (by speaker) that showed none of its stories.
      effects: {
        storyIds: [quote.storyId, ...statements.storyIds],
        speakerIds: [previousSpeakerId, speakerId],
        lists: true,
        correction: true,
      },
    };
  }

  /** `source` becomes part of `target`: its quotes, aliases and roles move; its id keeps resolving. */
  mergeSpeakers(sourceId: number, targetId: number): Promise<Written<Speaker>> {
    if (sourceId === targetId) throw new BadInputError("A speaker cannot be merged into itself", { argument: "into" });
    return this.write(async (manager) => {
      const source = await liveSpeaker(manager, sourceId);
      const target = await liveSpeaker(manager, targetId);
      const moved = await manager.update(Quote, { speakerId: sourceId }, { speakerId: targetId });
      await manager.update(SpeakerRole, { speakerId: sourceId }, { speakerId: targetId });
      const targetAliases = new Set((await manager.findBy(SpeakerAlias, { speakerId: targetId })).map((a) => a.alias));
      const sourceAliases = (await manager.findBy(SpeakerAlias, { speakerId: sourceId })).map((a) => a.alias);
      for (const alias of [source.name, ...sourceAliases]) {
        if (alias === target.name || targetAliases.has(alias)) continue;
        targetAliases.add(alias);
        await manager.insert(SpeakerAlias, { speakerId: targetId, alias, aliasKey: nameKey(alias) });
      }
      await manager.delete(SpeakerAlias, { speakerId: sourceId });
      await manager.update(Speaker, { mergedIntoId: sourceId }, { mergedIntoId: targetId });
      await manager.update(Speaker, { id: sourceId }, { mergedIntoId: targetId });
      if (!target.role && source.role) await manager.update(Speaker, { id: targetId }, { role: source.role });
      await SearchIndex.indexSpeaker(manager, sourceId);
      await SearchIndex.indexSpeaker(manager, targetId);
      // The source's statements meet the target's: the same words now link across both.
      const statements = await refreshStatements(manager, [targetId]);
      await this.record(
        manager,
        CorrectionKind.MERGE_SPEAKERS,
        "Speaker",
        sourceId,
        { speakerId: sourceId, name: source.name, aliases: sourceAliases },
        { mergedIntoId: targetId, quotesMoved: moved.affected ?? 0 },
      );
      return {
        result: (await manager.findOneBy(Speaker, { id: targetId }))!,
        // One speaker leaves every speakers list and search result.
        effects: { speakerIds: [sourceId, targetId], storyIds: statements.storyIds, lists: true, correction: true },
      };
    });
  }

  renameSpeaker(speakerId: number, name: string): Promise<Written<Speaker>> {
    const clean = cleanName(name);
    return this.write(async (manager) => {
      const speaker = await liveSpeaker(manager, speakerId);
      const before = { name: speaker.name };
      if (speaker.name !== clean) {
        // The old name stays findable, and stays a way ingestion recognises this speaker.
        const exists = await manager.findOneBy(SpeakerAlias, { speakerId, alias: speaker.name });
        if (!exists) await manager.insert(SpeakerAlias, { speakerId, alias: speaker.name, aliasKey: nameKey(speaker.name) });
        await manager.delete(SpeakerAlias, { speakerId, alias: clean });
      }
      Object.assign(speaker, { name: clean, nameKey: nameKey(clean), surnameKey: tokenKey(clean.split(" ").at(-1)!) });
      await manager.save(speaker);
      await SearchIndex.indexSpeaker(manager, speakerId);
      await this.record(manager, CorrectionKind.RENAME_SPEAKER, "Speaker", speakerId, before, { name: clean });
      // Lists sorted or searched by name change too.
      return { result: speaker, effects: { speakerIds: [speakerId], lists: true, correction: true } };
    });
  }

  setSpeakerRole(speakerId: number, role: string | null): Promise<Written<Speaker>> {
    const clean = role?.trim() || null;
    if (clean && clean.length > 300) throw new BadInputError("role must be at most 300 characters", { argument: "role" });
    return this.write(async (manager) => {
      const speaker = await liveSpeaker(manager, speakerId);
      const before = { role: speaker.role };
      speaker.role = clean;
      await manager.save(speaker);
      if (clean) await manager.insert(SpeakerRole, { speakerId, role: clean, seenAt: new Date(), storyId: null });
      await SearchIndex.indexSpeaker(manager, speakerId);
      await this.record(manager, CorrectionKind.SET_SPEAKER_ROLE, "Speaker", speakerId, before, { role: clean });
      return { result: speaker, effects: { speakerIds: [speakerId], correction: true } };
    });
  }

  /** An editor's link goes after the other editorial links and before every computed one. */
  linkStories(storyId: number, relatedStoryId: number): Promise<Written<Story>> {
    if (storyId === relatedStoryId) throw new BadInputError("A story cannot be related to itself", { argument: "related" });
    return this.write(async (manager) => {
      const story = await mustFind(manager, Story, storyId, "story");
      await mustFind(manager, Story, relatedStoryId, "story");
      const existing = await manager.findOneBy(StoryRelation, { storyId, relatedStoryId });
      const before = existing ? { reason: existing.reason, rank: existing.rank } : { reason: null, rank: null };
      if (existing) await manager.delete(StoryRelation, { id: existing.id });
      const relations = await manager.find(StoryRelation, { where: { storyId }, order: { rank: "ASC", id: "ASC" } });
      const editorial = relations.filter((r) => r.reason === RelationReason.EDITORIAL);
      const computed = relations.filter((r) => r.reason !== RelationReason.EDITORIAL);
      await manager.delete(StoryRelation, { storyId });
      const ordered = [...editorial, { storyId, relatedStoryId, reason: RelationReason.EDITORIAL }, ...computed];
      await manager.insert(
        StoryRelation,
        ordered.map((r, i) => ({ storyId, relatedStoryId: r.relatedStoryId, reason: r.reason, rank: i + 1 })),
      );
      const rank = editorial.length + 1;
      await this.record(
        manager,
        CorrectionKind.LINK_STORIES,
        "Story",
        storyId,
        { relatedStoryId, ...before },
        { relatedStoryId, reason: RelationReason.EDITORIAL, rank },
      );
      return { result: story, effects: await relatedListChanged(manager, storyId, relatedStoryId) };
    });
  }

  unlinkStories(storyId: number, relatedStoryId: number): Promise<Written<Story>> {
    return this.write(async (manager) => {
      const story = await mustFind(manager, Story, storyId, "story");
      const existing = await manager.findOneBy(StoryRelation, { storyId, relatedStoryId });
      if (!existing) throw new NotFoundError("Those stories are not linked");
      await manager.delete(StoryRelation, { id: existing.id });
      await this.record(
        manager,
        CorrectionKind.UNLINK_STORIES,
        "Story",
        storyId,
        { relatedStoryId, reason: existing.reason, rank: existing.rank },
        { relatedStoryId: null },
      );
      return { result: story, effects: await relatedListChanged(manager, storyId, relatedStoryId) };
    });
  }

  private write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return writeTransaction(this.dataSource, work);
  }

  private async record(
    manager: EntityManager,
    kind: CorrectionKind,
    targetType: string,
    targetId: number,
    before: object,
    after: object,
  ): Promise<void> {
    await manager.insert(Correction, {
      kind,
      targetType,
      targetId,
      before: { ...before },
      after: { ...after },
      actor: this.actor,
      createdAt: new Date(),
    });
  }
}

function reviewFields(quote: Quote) {
  return { reviewState: quote.reviewState, reviewedAt: quote.reviewedAt?.toISOString() ?? null, reviewedBy: quote.reviewedBy };
}

function cleanName(name: string): string {
  const clean = name.trim().replace(/\s+/g, " ");
  if (!clean || clean.length > 300) throw new BadInputError("name must be 1 to 300 characters", { argument: "name" });
  return clean;
}

/** A story's related list changed: both stories' views are stale, and the story's followers hear of it. */
async function relatedListChanged(manager: EntityManager, storyId: number, relatedStoryId: number): Promise<Effects> {
  const event = await readStoryEvent(manager, storyId);
  return { storyIds: [storyId, relatedStoryId], correction: true, stories: event ? [{ kind: "updated", event }] : [] };
}

async function mustFind<T extends Quote | Story>(manager: EntityManager, entity: new () => T, id: number, what: string): Promise<T> {
  const row = await manager.findOneBy(entity, { id } as never);
  if (!row) throw new NotFoundError(`No ${what} has that id`);
  return row as T;
}

/** A speaker that still stands on its own: a merged one must be corrected through its target. */
async function liveSpeaker(manager: EntityManager, id: number): Promise<Speaker> {
  const speaker = await manager.findOneBy(Speaker, { id });
  if (!speaker) throw new NotFoundError("No speaker has that id");
  if (speaker.mergedIntoId !== null)
    throw new BadInputError(`Speaker "${speaker.name}" was merged into another speaker; correct that one instead`, { argument: "speaker" });
  return speaker;
}
