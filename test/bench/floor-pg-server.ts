import type http from "node:http";

import { Pool } from "pg";

import { type FloorAnswers, floorListener, frontPageArgs, frontPageData, slug, TYPENAME_DATA } from "./floor-server";

/**
 * The floor on PostgreSQL: the same answers as the SQLite floor (floor-server.ts), over the
 * copy of the same corpus, with `pg` and one statement per request that builds the whole
 * response JSON inside PostgreSQL. Global ids and cursors are computed in SQL (base64url of
 * "Type:id" and of the JSON pair [ISO published_at, id]) so that no JSON is parsed or
 * rebuilt in Node. Statements are prepared once per pooled connection.
 */
export function createPostgresFloorHandler(databaseUrl: string, onAnswer: (sqlStatements: number) => void) {
  // Every JSON value is selected as text and spliced into the response as it is.
  const pool = new Pool({ connectionString: databaseUrl, max: POOL_SIZE, types: { getTypeParser: () => (value: string) => value } });

  const query = async (name: string, text: string, values: unknown[]) =>
    (await pool.query<string[]>({ name, text, values, rowMode: "array" })).rows;

  const answers: FloorAnswers = {
    StoryPage: async (variables) => {
      const [row] = await query("story_page", STORY_PAGE, [slug(variables)]);
      return { data: `{"story":${row?.[0] ?? "null"}}`, statements: 1 };
    },
    FrontPage: async (variables) => {
      const { first, after } = frontPageArgs(variables);
      // One row more than asked says whether a next page exists.
      const rows = after
        ? await query("front_page_after", FRONT_PAGE_AFTER, [isoOf(after.stored), after.id, first + 1])
        : await query("front_page_top", FRONT_PAGE_TOP, [first + 1]);
      return { data: frontPageData(rows as Array<[string, string]>, first), statements: 1 };
    },
    SpeakerTimeline: async (variables) => {
      const [row] = await query("speaker_timeline", SPEAKER_TIMELINE, [slug(variables)]);
      return { data: `{"speaker":${row?.[0] ?? "null"}}`, statements: 1 };
    },
    Typename: () => ({ data: TYPENAME_DATA, statements: 0 }),
  };

  return { handle: floorListener(answers, onAnswer) as http.RequestListener, close: () => pool.end() };
}

/** The same pool size as Newsgate's default (DATABASE_POOL_SIZE). */
const POOL_SIZE = 10;

const isoOf = (stored: string) => `${stored.replace(" ", "T")}Z`;

/** base64url of a text expression; PostgreSQL's base64 wraps lines at 76 characters, and pads. */
const base64url = (text: string) => `rtrim(translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;
const gid = (type: string, id: string) => base64url(`'${type}:' || ${id}`);
/** What GraphQL's DateTime returns: UTC, milliseconds, Z. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const cursor = (column: string, id: string) => base64url(`'["' || ${iso(column)} || '",' || ${id} || ']'`);
const list = (element: string, order: string) => `coalesce(json_agg(${element} ORDER BY ${order}), '[]'::json)`;

/** A story with everything the story and front pages show; `s` is the stories row. Same fields as the SQLite floor's. */
function storyJson(s: string, withTopics: boolean): string {
  const topics = withTopics
    ? `'topics', (SELECT ${list("t.topic", "t.position, t.topic")} FROM story_topics t WHERE t.story_id = ${s}.id),`
    : "";
  return `json_build_object(
    'id', ${gid("Story", `${s}.id`)}, 'slug', ${s}.slug, 'headline', ${s}.headline, 'standfirst', ${s}.standfirst,
    'section', ${s}.section, 'byline', ${s}.byline, 'kind', ${s}.kind, 'publishedAt', ${iso(`${s}.published_at`)},
    'canonicalUrl', ${s}.canonical_url, 'access', upper(${s}.access), ${topics}
    'publication', (SELECT json_build_object('id', ${gid("Publication", "p.id")}, 'name', p.name, 'brand', p.brand, 'edition', p.edition)
      FROM publications p WHERE p.id = ${s}.publication_id),
    'image', CASE WHEN ${s}.image_url IS NULL AND ${s}.image_caption IS NULL AND ${s}.image_credit IS NULL THEN NULL
      ELSE json_build_object('url', ${s}.image_url, 'caption', ${s}.image_caption, 'credit', ${s}.image_credit) END,
    'bullets', (SELECT ${list(
      `json_build_object(
        'id', ${gid("Bullet", "b.id")}, 'position', b.position, 'text', b.text,
        'quotes', (SELECT ${list(
          `json_build_object(
            'id', ${gid("Quote", "q.id")}, 'text', q.text, 'startOffset', q.start_offset, 'endOffset', q.end_offset, 'context', q.context,
            'speaker', (SELECT json_build_object('id', ${gid("Speaker", "sp.id")}, 'name', sp.name, 'role', sp.role) FROM speakers sp WHERE sp.id = q.speaker_id))`,
          "q.start_offset, q.id",
        )} FROM quotes q WHERE q.bullet_id = b.id))`,
      "b.position",
    )} FROM bullets b WHERE b.story_id = ${s}.id),
    'related', json_build_object('edges', (SELECT ${list(
      `json_build_object(
        'reason', upper(r.reason), 'rank', r.rank,
        'node', json_build_object('id', ${gid("Story", "rs.id")}, 'slug', rs.slug, 'headline', rs.headline, 'publishedAt', ${iso("rs.published_at")},
          'publication', json_build_object('id', ${gid("Publication", "rp.id")}, 'name', rp.name)))`,
      "r.rank, r.id",
    )}
      FROM (SELECT id, related_story_id, reason, rank FROM story_relations WHERE story_id = ${s}.id ORDER BY rank, id LIMIT 5) r
      JOIN stories rs ON rs.id = r.related_story_id JOIN publications rp ON rp.id = rs.publication_id))
  )`;
}

const STORY_PAGE = `SELECT ${storyJson("s", true)} FROM stories s WHERE s.slug = $1`;

// The row comparison lets PostgreSQL walk idx_stories_published backwards from the cursor.
const FRONT_PAGE_COLUMNS = `SELECT ${cursor("s.published_at", "s.id")}, ${storyJson("s", false)} FROM stories s`;
const FRONT_PAGE_TOP = `${FRONT_PAGE_COLUMNS} ORDER BY s.published_at DESC, s.id DESC LIMIT $1`;
const FRONT_PAGE_AFTER = `${FRONT_PAGE_COLUMNS} WHERE (s.published_at, s.id) < ($1::timestamptz, $2::integer)
  ORDER BY s.published_at DESC, s.id DESC LIMIT $3`;

const SPEAKER_TIMELINE = `SELECT json_build_object('id', ${gid("Speaker", "sp.id")}, 'name', sp.name, 'quotes', json_build_object(
  'totalCount', (SELECT count(*) FROM quotes WHERE speaker_id = sp.id),
  'edges', (SELECT ${list(
    `json_build_object(
      'cursor', ${cursor("q.published_at", "q.id")},
      'node', json_build_object('id', ${gid("Quote", "q.id")}, 'text', q.text, 'publishedAt', ${iso("q.published_at")},
        'story', json_build_object('id', ${gid("Story", "s.id")}, 'headline', s.headline,
          'publication', json_build_object('id', ${gid("Publication", "p.id")}, 'name', p.name))))`,
    "q.published_at DESC, q.id DESC",
  )}
    FROM (SELECT id, story_id, text, published_at FROM quotes WHERE speaker_id = sp.id ORDER BY published_at DESC, id DESC LIMIT 20) q
    JOIN stories s ON s.id = q.story_id JOIN publications p ON p.id = s.publication_id)))
  FROM speakers sp WHERE sp.slug = $1`;
