import { type EntityManager, type EntityTarget, In, type ObjectLiteral } from "typeorm";
import { type QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";

import { Bullet } from "../bullet/bullet.entity";
import { Publication } from "../publication/publication.entity";
import { AttributionRule, Quote, QuoteReviewState } from "../quote/quote.entity";
import { refreshStatements } from "../quote/statements";
import { RelationReason, StoryRelation } from "../relation/story-relation.entity";
import { yieldToEventLoop } from "../db/yield";
import { SearchIndex } from "../search/search-index";
import { SpeakerAlias } from "../speaker/speaker-alias.entity";
import { SpeakerRole } from "../speaker/speaker-role.entity";
import { Speaker, SpeakerKind } from "../speaker/speaker.entity";
import { StoryTopic } from "../story/story-topic.entity";
import { Story, StoryAccess } from "../story/story.entity";
import { type Effects } from "../events/effects";
import { IngestionError } from "./errors";
import { nameKey, slugify, surnameOf, tokenKey } from "./names";
import { type KnownSpeaker, matchSpeaker } from "./speaker-match";
import { type ParsedSpeaker, type ParsedStory } from "./types";

export interface StoryMeta {
  /** Publication slug; defaults to the page's publication line. */
  publication?: string | null;
  canonicalUrl?: string | null;
  publishedAt?: Date | null;
  access?: StoryAccess | null;
  /** The lead image's address; kept from an earlier ingest when not given. */
  imageUrl?: string | null;
}

export interface SaveSummary {
  storyId: number;
  created: boolean;
  bullets: number;
  quotes: number;
  speakersNew: number;
  speakersMatched: number;
  /** Speakers and stories whose cached views this write made stale. */
  touchedSpeakerIds: number[];
  touchedStoryIds: number[];
  /** What to invalidate and announce once the transaction commits (see `afterCommit`). */
  effects: Effects;
}

type KeptReview = Pick<Quote, "speakerId" | "attributionRule" | "attributionConfidence" | "reviewState" | "reviewedAt" | "reviewedBy">;

/** How many computed related stories a story gets, after its editorial links. */
const COMPUTED_RELATED = 5;

/**
 * Writes a parsed article. Meant to run inside one transaction (see `ingestArticle`): any
 * failure leaves nothing behind. Re-ingesting the same article (same canonical URL, or same
 * publication and headline) updates it in place; quotes an editor attributed or reviewed keep that.
 */
export async function saveParsedStory(manager: EntityManager, parsed: ParsedStory, meta: StoryMeta): Promise<SaveSummary> {
  const publication = await findOrCreatePublication(manager, parsed, meta.publication ?? null);
  const existing = await findExisting(manager, publication.id, parsed.headline, meta.canonicalUrl ?? null);
  const now = new Date();
  const publishedAt = meta.publishedAt ?? existing?.publishedAt ?? now;

  const story = existing ?? manager.create(Story, { slug: await uniqueSlug(manager, Story, slugify(parsed.headline)) });
  Object.assign(story, {
    publicationId: publication.id,
    headline: parsed.headline,
    standfirst: story.standfirst ?? null,
    section: parsed.section,
    byline: parsed.byline,
    kind: /\bbriefing\b/i.test(parsed.headline) ? "briefing" : (story.kind ?? "article"),
    publishedAt,
    updatedAt: now,
    canonicalUrl: meta.canonicalUrl ?? story.canonicalUrl ?? null,
    access: meta.access ?? story.access ?? StoryAccess.OPEN,
    imageUrl: meta.imageUrl ?? story.imageUrl ?? null,
    imageCaption: parsed.image?.caption ?? null,
    imageCredit: parsed.image?.credit ?? null,
  });
  const saved = await manager.save(Story, story);

  // Editors' choices survive a re-ingest, keyed by bullet position and quote text: the
  // speaker they set and whatever they reviewed (a confirmed quote keeps the attribution
  // the editor confirmed, even if the parser would now say otherwise).
  const kept = new Map<string, KeptReview>();
  const touchedSpeakers = new Set<number>();
  const formerStatements = new Set<number>();
  if (existing) {
    const oldQuotes = await manager
      .createQueryBuilder(Quote, "q")
      .innerJoin(Bullet, "b", "b.id = q.bullet_id")
      .addSelect("b.position", "position")
      .where("q.story_id = :storyId", { storyId: saved.id })
      .getRawAndEntities();
    oldQuotes.entities.forEach((quote, i) => {
      if (quote.speakerId !== null) touchedSpeakers.add(quote.speakerId);
      if (quote.statementId !== null) formerStatements.add(quote.statementId);
      if (quote.attributionRule === AttributionRule.EDITOR || quote.reviewState !== QuoteReviewState.UNREVIEWED) {
        kept.set(`${oldQuotes.raw[i].position}\u0000${quote.text}`, {
          speakerId: quote.speakerId,
          attributionRule: quote.attributionRule,
          attributionConfidence: quote.attributionConfidence,
          reviewState: quote.reviewState,
          reviewedAt: quote.reviewedAt,
          reviewedBy: quote.reviewedBy,
        });
      }
    });
    await manager.delete(Quote, { storyId: saved.id });
    await manager.delete(Bullet, { storyId: saved.id });
    await manager.delete(StoryTopic, { storyId: saved.id });
    await manager.delete(SpeakerRole, { storyId: saved.id });
  }

  if (parsed.topics.length > 0) {
    await manager.insert(
      StoryTopic,
      parsed.topics.map((topic, position) => ({ storyId: saved.id, topic, position })),
    );
  }
  // Rows go in by the chunk, so a page's statement count grows with its speakers, not its
  // quotes and bullets (see ARTICLE_LIMITS); ids come back in one read by position.
  await insertChunked(
    manager,
    Bullet,
    parsed.bullets.map((text, position) => ({ storyId: saved.id, position, text })),
  );
  const bulletIds: number[] = [];
  const bulletRows = await manager
    .createQueryBuilder(Bullet, "b")
    .select(["b.id AS id", "b.position AS position"])
    .where("b.story_id = :storyId", { storyId: saved.id })
    .getRawMany<{ id: number; position: number }>();
  for (const row of bulletRows) bulletIds[Number(row.position)] = Number(row.id);

  let speakersNew = 0;
  let speakersMatched = 0;
  const speakerIds: number[] = [];
  const speakerSlugs: string[] = [];
  for (const [index, speaker] of parsed.speakers.entries()) {
    if (index % 20 === 19) await yieldToEventLoop();
    const { id, slug, created } = await resolveSpeaker(manager, speaker);
    if (created) speakersNew++;
    else speakersMatched++;
    speakerIds.push(id);
    speakerSlugs.push(slug);
    touchedSpeakers.add(id);
    if (speaker.role) await recordRole(manager, id, speaker.role, publishedAt, saved.id);
  }

  const quoteRows = parsed.quotes.map((quote) => {
    const editorChoice = kept.get(`${quote.bullet}\u0000${quote.text}`);
    if (editorChoice?.speakerId != null) touchedSpeakers.add(editorChoice.speakerId);
    return {
      storyId: saved.id,
      bulletId: bulletIds[quote.bullet],
      speakerId: quote.speaker === null ? null : speakerIds[quote.speaker],
      text: quote.text,
      startOffset: quote.start,
      endOffset: quote.end,
      context: quote.context,
      publishedAt,
      attributionRule: quote.rule as AttributionRule,
      attributionConfidence: quote.confidence,
      ...editorChoice,
    };
  });
  await insertChunked(manager, Quote, quoteRows);
  const statements = await refreshStatements(manager, touchedSpeakers, formerStatements);

  const relatedIds = await computeRelated(manager, saved.id);
  await SearchIndex.indexStory(manager, saved.id);
  for (const [index, speakerId] of speakerIds.entries()) {
    if (index % 20 === 19) await yieldToEventLoop();
    await SearchIndex.indexSpeaker(manager, speakerId);
  }
  const bySpeaker: Record<string, number> = {};
  const quoted = new Set<number>();
  for (const quote of parsed.quotes) {
    if (quote.speaker === null) continue;
    const slug = speakerSlugs[quote.speaker];
    bySpeaker[slug] = (bySpeaker[slug] ?? 0) + 1;
    quoted.add(speakerIds[quote.speaker]);
  }
  const touchedStoryIds = [...new Set([saved.id, ...relatedIds, ...statements.storyIds])];
  return {
    storyId: saved.id,
    created: !existing,
    bullets: parsed.bullets.length,
    quotes: parsed.quotes.length,
    speakersNew,
    speakersMatched,
    touchedSpeakerIds: [...touchedSpeakers],
    touchedStoryIds,
    effects: {
      // A new story can join any list; an update changes only what shows this story or its speakers.
      storyIds: touchedStoryIds,
      speakerIds: [...touchedSpeakers],
      lists: !existing,
      stories: [
        {
          kind: existing ? "updated" : "published",
          event: { storyId: saved.id, publication: publication.slug, section: parsed.section, topics: [...parsed.topics] },
          quotes: existing ? null : { storyId: saved.id, quotes: parsed.quotes.length, bySpeaker, speakerIds: [...quoted] },
        },
      ],
    },
  };
}

/**
 * Rows per INSERT. TypeORM takes about a millisecond of the event loop per 5–10 rows to build
 * one, so chunks stay small enough never to block it for long.
 */
const INSERT_CHUNK = 100;

async function insertChunked<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: Array<QueryDeepPartialEntity<T>>,
) {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    if (start > 0) await yieldToEventLoop();
    await manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(start, start + INSERT_CHUNK))
      // Nothing is read back per row: callers that need ids select them in one statement.
      .updateEntity(false)
      .execute();
  }
}

async function findOrCreatePublication(manager: EntityManager, parsed: ParsedStory, slug: string | null): Promise<Publication> {
  if (slug) {
    const bySlug = await manager.findOneBy(Publication, { slug });
    if (!bySlug) throw new IngestionError(`No publication has the slug "${slug}"`);
    return bySlug;
  }
  const page = parsed.publication;
  if (!page) throw new IngestionError("The page names no publication; pass the publication's slug");
  const byName = page ? await manager.findOneBy(Publication, { name: page.name }) : null;
  if (byName) return byName;
  return manager.save(
    manager.create(Publication, {
      slug: await uniqueSlug(manager, Publication, slugify(page.name)),
      name: page.name,
      brand: page.brand,
      edition: page.edition,
      homepageUrl: null,
    }),
  );
}

async function findExisting(
  manager: EntityManager,
  publicationId: number,
  headline: string,
  canonicalUrl: string | null,
): Promise<Story | null> {
  if (canonicalUrl) {
    const byUrl = await manager.findOneBy(Story, { canonicalUrl });
    if (byUrl) return byUrl;
  }
  return manager.findOneBy(Story, { publicationId, headline });
}

export async function uniqueSlug(
  manager: EntityManager,
  entity: typeof Story | typeof Publication | typeof Speaker,
  base: string,
): Promise<string> {
  const taken = new Set(
    (
      await manager
        .createQueryBuilder(entity, "t")
        .select("t.slug", "slug")
        .where("t.slug = :base OR t.slug LIKE :prefix", { base, prefix: `${base}-%` })
        .getRawMany<{ slug: string }>()
    ).map((row) => row.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The speaker this parsed one is, across every story so far; a new one when nobody matches. */
async function resolveSpeaker(manager: EntityManager, parsed: ParsedSpeaker): Promise<{ id: number; slug: string; created: boolean }> {
  const key = nameKey(parsed.name);
  const surname = tokenKey(surnameOf(parsed.name));
  const candidates = await manager
    .createQueryBuilder(Speaker, "s")
    .where("s.merged_into_id IS NULL")
    .andWhere(
      "(s.name_key = :key OR s.surname_key = :surname OR s.id IN (SELECT a.speaker_id FROM speaker_aliases a WHERE a.alias_key = :key))",
      { key, surname },
    )
    .getMany();
  const aliases = candidates.length ? await manager.find(SpeakerAlias, { where: { speakerId: In(candidates.map((c) => c.id)) } }) : [];
  const known: KnownSpeaker[] = candidates.map((c) => ({
    id: c.id,
    name: c.name,
    kind: c.kind === SpeakerKind.ORGANISATION ? "organisation" : "person",
    aliases: aliases.filter((a) => a.speakerId === c.id).map((a) => a.alias),
  }));
  const match = matchSpeaker(parsed, known);
  if (match) {
    // A new spelling of a known name is worth keeping as an alias ("Zelensky").
    if (nameKey(match.name) !== key || match.name !== parsed.name) await addAlias(manager, match.id, parsed.name, match.aliases);
    return { id: match.id, slug: candidates.find((c) => c.id === match.id)!.slug, created: false };
  }
  const speaker = await manager.save(
    manager.create(Speaker, {
      slug: await uniqueSlug(manager, Speaker, slugify(parsed.name)),
      name: parsed.name,
      kind: parsed.kind === "organisation" ? SpeakerKind.ORGANISATION : SpeakerKind.PERSON,
      role: null,
      nameKey: key,
      surnameKey: surname,
      mergedIntoId: null,
    }),
  );
  const tokens = parsed.name.split(/\s+/);
  if (parsed.kind === "person" && tokens.length > 1) await addAlias(manager, speaker.id, surnameOf(parsed.name), []);
  return { id: speaker.id, slug: speaker.slug, created: true };
}

async function addAlias(manager: EntityManager, speakerId: number, alias: string, existing: string[]): Promise<void> {
  if (existing.includes(alias)) return;
  const found = await manager.findOneBy(SpeakerAlias, { speakerId, alias });
  if (!found) await manager.insert(SpeakerAlias, { speakerId, alias, aliasKey: nameKey(alias) });
}

/** Keeps the role history and makes the most recently seen role the current one. */
async function recordRole(manager: EntityManager, speakerId: number, role: string, seenAt: Date, storyId: number): Promise<void> {
  await manager.insert(SpeakerRole, { speakerId, role, seenAt, storyId });
  const newest = await manager.findOne(SpeakerRole, { where: { speakerId }, order: { seenAt: "DESC", id: "DESC" } });
  await manager.update(Speaker, { id: speakerId }, { role: newest?.role ?? role });
}

/**
 * Related stories by shared speakers, then shared topics; editorial links stay first and
 * untouched. Returns the ids of the other stories whose lists changed too.
 */
async function computeRelated(manager: EntityManager, storyId: number): Promise<number[]> {
  const editorial = await manager.find(StoryRelation, { where: { storyId, reason: RelationReason.EDITORIAL } });
  await manager.delete(StoryRelation, { storyId, reason: In([RelationReason.SHARED_SPEAKER, RelationReason.SHARED_TOPIC]) });
  const exclude = new Set([storyId, ...editorial.map((r) => r.relatedStoryId)]);
  const bySpeaker: Array<{ id: number; shared: number }> = await manager
    .createQueryBuilder()
    .select("other.story_id", "id")
    .addSelect("COUNT(DISTINCT other.speaker_id)", "shared")
    .addSelect("MAX(other.published_at)", "latest")
    .from(Quote, "other")
    .where("other.speaker_id IN (SELECT q.speaker_id FROM quotes q WHERE q.story_id = :storyId AND q.speaker_id IS NOT NULL)", { storyId })
    .andWhere("other.story_id <> :storyId", { storyId })
    .groupBy("other.story_id")
    .orderBy("shared", "DESC")
    .addOrderBy("latest", "DESC")
    .limit(COMPUTED_RELATED * 2)
    .getRawMany();
  const byTopic: Array<{ id: number }> = await manager
    .createQueryBuilder()
    .select("t.story_id", "id")
    .from(StoryTopic, "t")
    .where("t.topic IN (SELECT own.topic FROM story_topics own WHERE own.story_id = :storyId)", { storyId })
    .andWhere("t.story_id <> :storyId", { storyId })
    .orderBy("t.story_id", "DESC")
    .limit(COMPUTED_RELATED * 2)
    .getRawMany();
  const picks: Array<{ id: number; reason: RelationReason }> = [];
  const candidates = [
    ...bySpeaker.map((row) => ({ id: Number(row.id), reason: RelationReason.SHARED_SPEAKER })),
    ...byTopic.map((row) => ({ id: Number(row.id), reason: RelationReason.SHARED_TOPIC })),
  ];
  for (const candidate of candidates) {
    if (picks.length >= COMPUTED_RELATED || exclude.has(candidate.id)) continue;
    exclude.add(candidate.id);
    picks.push(candidate);
  }
  const firstRank = editorial.reduce((max, r) => Math.max(max, r.rank), 0) + 1;
  if (picks.length > 0) {
    await manager.insert(
      StoryRelation,
      picks.map((pick, i) => ({ storyId, relatedStoryId: pick.id, reason: pick.reason, rank: firstRank + i })),
    );
  }
  // The link goes both ways: the other story now lists this one after its own links.
  for (const pick of picks) {
    const linked = await manager.findOneBy(StoryRelation, { storyId: pick.id, relatedStoryId: storyId });
    if (linked) continue;
    const last = await manager.findOne(StoryRelation, { where: { storyId: pick.id }, order: { rank: "DESC" } });
    await manager.insert(StoryRelation, { storyId: pick.id, relatedStoryId: storyId, reason: pick.reason, rank: (last?.rank ?? 0) + 1 });
  }
  return picks.map((pick) => pick.id);
}
