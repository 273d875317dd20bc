import Database from "better-sqlite3";

import { openDatabase } from "../../src/db/database";
import { Random } from "./prng";

export interface CorpusSize {
  publications: number;
  stories: number;
  speakers: number;
}

export interface CorpusCounts extends CorpusSize {
  bullets: number;
  quotes: number;
  relations: number;
  topics: number;
  aliases: number;
}

const BULLETS_PER_STORY = 8;
const MAX_QUOTES_PER_BULLET = 3;
const RELATED_PER_STORY = 5;
const MAX_TOPICS_PER_STORY = 4;
const MAX_ALIASES = 2;

// Small vocabularies: the text only has to look like news, with some non-ASCII and JSON escapes.
const BRANDS = list("The Courier, Daily Ledger, The Sentinel, Morning Herald, The Observer, Evening Post, The Chronicle, Le Réveil");
const EDITIONS = list("UK, US, AU, EU, Asia");
const FIRST_NAMES = list("Ana, Bram, Chiara, Dmitri, Élodie, Farid, Greta, Hiroshi, Ines, Jonas, Kemal, Lucía, Mateo, Nadia, Oskar, Priya");
const LAST_NAMES = list(
  "Albers, Brennan, Castell, Dumont, Eriksen, Fischer, García, Haddad, Ivanova, Jansen, Kowalski, Lindqvist, Moreau, Novak, Okafor, O'Neill, Petrov",
);
const PLACES = list("Veldoria, Dunmere, Orlessa, Brenmark, Lisvar, Kelsk, Sarenna, Aldermoor");
const ORGANISATIONS = list("Ministry of Health, Foreign Ministry, Central Bank, Port Authority, Grain Board, Coast Guard");
const ROLES = list("Prime Minister, Finance Minister, Spokesperson, Union leader, Mayor, Professor of Economics, Chief Executive");
const SECTIONS = list("World, Politics, Business, Science, Sport, Culture");
const KINDS = list("briefing, article, analysis");
const REASONS = list("editorial, shared_speaker, shared_topic");
const TOPICS = list(
  "ceasefire, elections, budget, climate, floods, health, vaccines, trade, energy, strikes, courts, migration, housing, transport, football, glaciers, mining, shipping, drones, diplomacy",
);
const WORDS = list(
  'talks, resume, after, weeks, of, pressure, on, the, government, over, grain, prices, rising, harbour, council, vote, delayed, again, as, officials, warn, of, shortfall, in, funding, for, schools, north, river, levels, reach, record, highs, café, owners, fear, new, rules, will, hit, small, firms, hardest, while, ministers, insist, the, plan, is, fair, and, overdue, 6" of rain, back\\slash',
);

const BASE_TIME = Date.UTC(2025, 0, 1);
const SLOT_MS = 5 * 60_000;

/**
 * Fills an empty database file with a synthetic but realistic corpus. The schema comes from
 * Newsgate's own migrations (through `openDatabase`); rows go in through better-sqlite3 in
 * one transaction, which takes seconds where the ORM would take minutes.
 */
export async function generateCorpus(databasePath: string, size: CorpusSize, seed: number): Promise<CorpusCounts> {
  const dataSource = await openDatabase({ databasePath });
  await dataSource.destroy();

  const db = new Database(databasePath);
  try {
    return db.transaction(() => insertCorpus(db, size, new Random(seed)))();
  } finally {
    db.close();
  }
}

type Inserts = ReturnType<typeof prepareInserts>;

function insertCorpus(db: Database.Database, size: CorpusSize, rng: Random): CorpusCounts {
  const insert = prepareInserts(db);
  const publicationSlugs = insertPublications(insert, size.publications, rng);
  const speakers = insertSpeakers(insert, size.speakers, rng);
  const stories = insertStories(insert, size.stories, rng, publicationSlugs, speakers.names);
  // After all stories, so that the foreign keys better-sqlite3 enforces are satisfied.
  const relations = insertRelations(insert, size.stories, rng);
  return { ...size, ...stories, relations, aliases: speakers.aliases };
}

function prepareInserts(db: Database.Database) {
  return {
    publication: db.prepare("INSERT INTO publications (id, slug, name, brand, edition, homepage_url) VALUES (?, ?, ?, ?, ?, ?)"),
    speaker: db.prepare("INSERT INTO speakers (id, slug, name, kind, role) VALUES (?, ?, ?, ?, ?)"),
    alias: db.prepare("INSERT INTO speaker_aliases (speaker_id, alias) VALUES (?, ?)"),
    story: db.prepare(
      `INSERT INTO stories (id, slug, publication_id, headline, standfirst, section, byline, kind, published_at, updated_at,
         canonical_url, access, image_url, image_caption, image_credit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    topic: db.prepare("INSERT INTO story_topics (story_id, topic, position) VALUES (?, ?, ?)"),
    bullet: db.prepare("INSERT INTO bullets (id, story_id, position, text) VALUES (?, ?, ?, ?)"),
    quote: db.prepare(
      `INSERT INTO quotes (id, story_id, bullet_id, speaker_id, text, start_offset, end_offset, context, published_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    relation: db.prepare("INSERT INTO story_relations (story_id, related_story_id, reason, rank) VALUES (?, ?, ?, ?)"),
  };
}

/** Returns each publication's slug, by id − 1. */
function insertPublications(insert: Inserts, count: number, rng: Random): string[] {
  const slugs: string[] = [];
  for (let id = 1; id <= count; id++) {
    const brand = rng.pick(BRANDS);
    const edition = rng.chance(0.7) ? rng.pick(EDITIONS) : null;
    const name = edition ? `${brand} - ${edition}` : brand;
    const slug = `${slugify(name)}-${id}`;
    slugs.push(slug);
    insert.publication.run(id, slug, name, brand, edition, rng.chance(0.8) ? `https://${slug}.example/` : null);
  }
  return slugs;
}

/** Returns each speaker's name, by id − 1, and how many aliases were written. */
function insertSpeakers(insert: Inserts, count: number, rng: Random): { names: string[]; aliases: number } {
  const names: string[] = [];
  let aliasCount = 0;
  for (let id = 1; id <= count; id++) {
    const person = rng.chance(0.85);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const place = rng.pick(PLACES);
    const name = person ? `${first} ${last}` : `${place} ${rng.pick(ORGANISATIONS)}`;
    names.push(name);
    insert.speaker.run(id, `${slugify(name)}-${id}`, name, person ? "person" : "organisation", rng.chance(0.7) ? rng.pick(ROLES) : null);
    const aliases = (person ? [last, `${first[0]}. ${last}`] : [place, initials(name)]).slice(0, rng.int(0, MAX_ALIASES));
    for (const alias of aliases) insert.alias.run(id, alias);
    aliasCount += aliases.length;
  }
  return { names, aliases: aliasCount };
}

function insertStories(
  insert: Inserts,
  count: number,
  rng: Random,
  publicationSlugs: readonly string[],
  speakerNames: readonly string[],
): { bullets: number; quotes: number; topics: number } {
  // A few speakers are quoted far more than the rest, as in real news; u² skews towards id 1.
  const pickSpeaker = () => (rng.chance(0.1) ? null : 1 + Math.floor(speakerNames.length * rng.next() ** 2));
  // Timestamps fall on five-minute slots so that ties on published_at are common and the
  // id tie-break of every newest-first list gets exercised; some carry seconds and millis.
  const slots = Math.max(10, count * 3);
  let bulletId = 0;
  let quoteId = 0;
  let topicCount = 0;
  for (let id = 1; id <= count; id++) {
    const publication = rng.int(1, publicationSlugs.length);
    const publishedMs = BASE_TIME + rng.int(0, slots - 1) * SLOT_MS + (rng.chance(0.3) ? rng.int(0, 299_999) : 0);
    const publishedAt = dbTimestamp(publishedMs);
    const headline = capitalise(words(rng, 6, 12));
    const slug = `${slugify(headline)}-${id}`;
    const image = rng.next();
    insert.story.run(
      id,
      slug,
      publication,
      headline,
      rng.chance(0.8) ? `${capitalise(words(rng, 10, 20))}.` : null,
      rng.chance(0.9) ? rng.pick(SECTIONS) : null,
      rng.chance(0.7) ? `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}` : null,
      rng.pick(KINDS),
      publishedAt,
      dbTimestamp(publishedMs + rng.int(0, 3) * 3_600_000),
      rng.chance(0.9) ? `https://${publicationSlugs[publication - 1]}.example/${slug}` : null,
      rng.chance(0.75) ? "open" : "premium",
      // Some images have a caption but no file: the image is still shown.
      image < 0.6 ? `https://images.example/${id}.jpg` : null,
      image < 0.7 ? capitalise(words(rng, 5, 10)) : null,
      image < 0.6 ? `${rng.pick(LAST_NAMES)}/Agency` : null,
    );

    const topics = rng.shuffle([...TOPICS]).slice(0, rng.int(0, MAX_TOPICS_PER_STORY));
    topics.forEach((topic, position) => insert.topic.run(id, topic, position));
    topicCount += topics.length;

    for (let position = 0; position < BULLETS_PER_STORY; position++) {
      bulletId++;
      let text = `${capitalise(words(rng, 8, 16))}.`;
      const quotes: Array<{ speaker: number | null; quoted: string; start: number; sentence: string }> = [];
      for (let n = rng.int(0, MAX_QUOTES_PER_BULLET); n > 0; n--) {
        const speaker = pickSpeaker();
        const quoted = capitalise(words(rng, 4, 12));
        const opening = `${speaker === null ? "An official" : speakerNames[speaker - 1]} said “`;
        const sentence = `${opening}${quoted}”.`;
        quotes.push({ speaker, quoted, start: text.length + 1 + opening.length, sentence });
        text += ` ${sentence}`;
      }
      insert.bullet.run(bulletId, id, position, text);
      for (const { speaker, quoted, start, sentence } of quotes) {
        insert.quote.run(++quoteId, id, bulletId, speaker, quoted, start, start + quoted.length, sentence, publishedAt);
      }
    }
  }
  return { bullets: bulletId, quotes: quoteId, topics: topicCount };
}

function insertRelations(insert: Inserts, stories: number, rng: Random): number {
  const wanted = Math.min(RELATED_PER_STORY, stories - 1);
  for (let id = 1; id <= stories; id++) {
    const related = new Set<number>();
    while (related.size < wanted) {
      const other = rng.int(1, stories);
      if (other !== id) related.add(other);
    }
    [...related].forEach((other, index) => insert.relation.run(id, other, rng.pick(REASONS), index + 1));
  }
  return wanted * stories;
}

/** How TypeORM writes a `datetime` column on SQLite: UTC, space-separated, milliseconds. */
function dbTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

function list(items: string): string[] {
  return items.split(", ");
}

function words(rng: Random, min: number, max: number): string {
  return Array.from({ length: rng.int(min, max) }, () => rng.pick(WORDS)).join(" ");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .toLowerCase()
    .trim()
    .replace(/[\s_-]+/g, "-");
}

function initials(name: string): string {
  return name
    .split(" ")
    .map((word) => word[0])
    .join("")
    .toUpperCase();
}
