import type http from "node:http";

import Database from "better-sqlite3";

import { dateCursor, decodeDateCursor, globalId } from "./wire-format";

/**
 * The floor: the fastest answer we know how to give to the benchmark's operations, to show
 * how far Newsgate is from it. No GraphQL, no ORM: the request is recognised by its
 * operation name, and each answer is one SQL statement that builds the response JSON inside
 * SQLite (global ids and cursors through two SQL functions). Its answers are the golden
 * output every other variant is checked against, so they follow Newsgate's documented
 * orders and formats, not its code.
 */
export function createFloorHandler(databasePath: string, onAnswer: (sqlStatements: number) => void) {
  const db = new Database(databasePath, { readonly: true });
  db.function("gid", { deterministic: true }, (type, id) => globalId(String(type), Number(id)));
  db.function("cursor", { deterministic: true }, (stored, id) => dateCursor(String(stored), Number(id)));

  const storyPage = db.prepare(`SELECT ${storyJson("s", true)} FROM stories s WHERE s.slug = ?`).pluck();
  // Row values let SQLite seek idx_stories_published to the cursor instead of scanning to it.
  const frontPageColumns = `SELECT cursor(s.published_at, s.id) AS cursor, ${storyJson("s", false)} AS node FROM stories s`;
  const frontPageTop = db.prepare(`${frontPageColumns} ORDER BY s.published_at DESC, s.id DESC LIMIT ?`).raw();
  const frontPageAfter = db
    .prepare(`${frontPageColumns} WHERE (s.published_at, s.id) < (?, ?) ORDER BY s.published_at DESC, s.id DESC LIMIT ?`)
    .raw();
  const speakerTimeline = db.prepare(`SELECT ${speakerTimelineJson} FROM speakers sp WHERE sp.slug = ?`).pluck();

  const answers: FloorAnswers = {
    StoryPage: (variables) => ({ data: `{"story":${storyPage.get(slug(variables)) ?? "null"}}`, statements: 1 }),
    FrontPage: (variables) => {
      const { first, after } = frontPageArgs(variables);
      // One row more than asked says whether a next page exists.
      const rows = (after ? frontPageAfter.all(after.stored, after.id, first + 1) : frontPageTop.all(first + 1)) as Array<[string, string]>;
      return { data: frontPageData(rows, first), statements: 1 };
    },
    SpeakerTimeline: (variables) => ({ data: `{"speaker":${speakerTimeline.get(slug(variables)) ?? "null"}}`, statements: 1 }),
    Typename: () => ({ data: TYPENAME_DATA, statements: 0 }),
  };

  return { handle: floorListener(answers, onAnswer), close: () => db.close() };
}

/** A floor's answer to one request: the `data` JSON text and how many SQL statements it took. */
export type FloorAnswers = Record<
  string,
  (variables: Record<string, unknown>) => { data: string; statements: number } | Promise<{ data: string; statements: number }>
>;

export const TYPENAME_DATA = `{"__typename":"Query"}`;

/**
 * The HTTP side every floor shares: POST /graphql with an operation name the floor knows.
 * Like Newsgate's `onRequest`, `onAnswer` hears of every /graphql request, failed ones included.
 */
export function floorListener(answers: FloorAnswers, onAnswer: (sqlStatements: number) => void): http.RequestListener {
  type Response = { status: number; body: string; statements: number };
  const ok = ({ data, statements }: { data: string; statements: number }): Response => ({
    status: 200,
    body: `{"data":${data}}`,
    statements,
  });
  const badRequest = (error: unknown): Response => {
    if (!(error instanceof BadRequest)) throw error;
    return { status: 400, body: JSON.stringify({ errors: [{ message: `floor: ${error.message}` }] }), statements: 0 };
  };

  // Synchronous answers (SQLite) stay synchronous: no promise is made where none is needed.
  function respond(text: string): Response | Promise<Response> {
    try {
      const request = parseJson(text) as { operationName?: unknown; variables?: Record<string, unknown> };
      const answer = typeof request.operationName === "string" ? answers[request.operationName] : undefined;
      if (!answer) throw new BadRequest(`unknown operation ${String(request.operationName)}`);
      const result = answer(request.variables ?? {});
      return result instanceof Promise ? result.then(ok, badRequest) : ok(result);
    } catch (error) {
      return badRequest(error);
    }
  }

  const reply = (res: http.ServerResponse, result: Response) => {
    onAnswer(result.statements);
    send(res, result.status, result.body);
  };

  return (req, res) => {
    if (req.url !== "/graphql") return send(res, 404, `{"errors":[{"message":"not found"}]}`);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const result = respond(Buffer.concat(chunks).toString("utf8"));
      if (!(result instanceof Promise)) return reply(res, result);
      result.then(
        (response) => reply(res, response),
        (error: unknown) => {
          process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
          reply(res, { status: 500, body: `{"errors":[{"message":"floor: internal error"}]}`, statements: 0 });
        },
      );
    });
  };
}

/** The front page's arguments, checked as Newsgate checks them. */
export function frontPageArgs(variables: Record<string, unknown>): { first: number; after: { stored: string; id: number } | null } {
  const { first, after } = variables;
  if (typeof first !== "number" || !Number.isInteger(first) || first < 1 || first > 100) throw new BadRequest("$first must be 1 to 100");
  const cursor = typeof after === "string" ? decodeDateCursor(after) : null;
  if (after != null && !cursor) throw new BadRequest("$after is not a cursor");
  return { first, after: cursor };
}

/** `rows` are [cursor, node JSON] pairs, one more than `first` when a next page exists. */
export function frontPageData(rows: ReadonlyArray<readonly [string, string]>, first: number): string {
  const page = rows.slice(0, first);
  const edges = page.map(([edgeCursor, node]) => `{"cursor":"${edgeCursor}","node":${node}}`).join(",");
  const endCursor = page.length > 0 ? `"${page[page.length - 1][0]}"` : "null";
  return `{"stories":{"edges":[${edges}],"pageInfo":{"hasNextPage":${rows.length > first},"endCursor":${endCursor}}}}`;
}

/** A request the floor does not understand; it answers 400, as a GraphQL server would. */
class BadRequest extends Error {}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest("the body is not JSON");
  }
}

export function slug(variables: Record<string, unknown>): string {
  if (typeof variables.slug !== "string") throw new BadRequest("$slug must be a string");
  return variables.slug;
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const iso = (column: string) => `(replace(${column}, ' ', 'T') || 'Z')`;

/**
 * A story with everything the story and front pages show, as one JSON value. `s` is the
 * alias of the stories row in the enclosing query. Page sizes (related: 5 here, quotes: 20
 * below) are those of the documents in operations.ts.
 */
function storyJson(s: string, withTopics: boolean): string {
  const topics = withTopics
    ? `'topics', (SELECT json_group_array(t.topic ORDER BY t.position, t.topic) FROM story_topics t WHERE t.story_id = ${s}.id),`
    : "";
  return `json_object(
    'id', gid('Story', ${s}.id), 'slug', ${s}.slug, 'headline', ${s}.headline, 'standfirst', ${s}.standfirst,
    'section', ${s}.section, 'byline', ${s}.byline, 'kind', ${s}.kind, 'publishedAt', ${iso(`${s}.published_at`)},
    'canonicalUrl', ${s}.canonical_url, 'access', upper(${s}.access), ${topics}
    'publication', (SELECT json_object('id', gid('Publication', p.id), 'name', p.name, 'brand', p.brand, 'edition', p.edition)
      FROM publications p WHERE p.id = ${s}.publication_id),
    'image', CASE WHEN ${s}.image_url IS NULL AND ${s}.image_caption IS NULL AND ${s}.image_credit IS NULL THEN NULL
      ELSE json_object('url', ${s}.image_url, 'caption', ${s}.image_caption, 'credit', ${s}.image_credit) END,
    'bullets', (SELECT json_group_array(json_object(
        'id', gid('Bullet', b.id), 'position', b.position, 'text', b.text,
        'quotes', (SELECT json_group_array(json_object(
            'id', gid('Quote', q.id), 'text', q.text, 'startOffset', q.start_offset, 'endOffset', q.end_offset, 'context', q.context,
            'speaker', (SELECT json_object('id', gid('Speaker', sp.id), 'name', sp.name, 'role', sp.role) FROM speakers sp WHERE sp.id = q.speaker_id)
          ) ORDER BY q.start_offset, q.id) FROM quotes q WHERE q.bullet_id = b.id)
      ) ORDER BY b.position) FROM bullets b WHERE b.story_id = ${s}.id),
    'related', json_object('edges', (SELECT json_group_array(json_object(
        'reason', upper(r.reason), 'rank', r.rank,
        'node', json_object('id', gid('Story', rs.id), 'slug', rs.slug, 'headline', rs.headline, 'publishedAt', ${iso("rs.published_at")},
          'publication', json_object('id', gid('Publication', rp.id), 'name', rp.name))
      ) ORDER BY r.rank, r.id)
      FROM (SELECT id, related_story_id, reason, rank FROM story_relations WHERE story_id = ${s}.id ORDER BY rank, id LIMIT 5) r
      JOIN stories rs ON rs.id = r.related_story_id JOIN publications rp ON rp.id = rs.publication_id))
  )`;
}

const speakerTimelineJson = `json_object('id', gid('Speaker', sp.id), 'name', sp.name, 'quotes', json_object(
  'totalCount', (SELECT count(*) FROM quotes WHERE speaker_id = sp.id),
  'edges', (SELECT json_group_array(json_object(
      'cursor', cursor(q.published_at, q.id),
      'node', json_object('id', gid('Quote', q.id), 'text', q.text, 'publishedAt', ${iso("q.published_at")},
        'story', json_object('id', gid('Story', s.id), 'headline', s.headline, 'publication', json_object('id', gid('Publication', p.id), 'name', p.name)))
    ) ORDER BY q.published_at DESC, q.id DESC)
    FROM (SELECT id, story_id, text, published_at FROM quotes WHERE speaker_id = sp.id ORDER BY published_at DESC, id DESC LIMIT 20) q
    JOIN stories s ON s.id = q.story_id JOIN publications p ON p.id = s.publication_id)))`;
