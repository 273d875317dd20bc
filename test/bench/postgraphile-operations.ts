import { type Operation, type Variables } from "./operations";
import { dateCursor, decodeDateCursor, globalId } from "./wire-format";

/**
 * A variant that does not speak Newsgate's schema: it is sent its own documents for each
 * operation, and its answers are turned into Newsgate's JSON shape for the equality check
 * only (the mapping runs in the benchmark, never inside a measured window).
 */
export interface Dialect {
  /** The request sent in place of Newsgate's: the variant's own document, equivalent variables. */
  requestBody(operation: Operation, variables: Variables): string;
  /** Its answer as Newsgate would have given it; an answer with errors is returned as it is. */
  toNewsgate(operation: Operation, variables: Variables, answer: unknown): unknown;
  /**
   * Operations that cannot be expressed equivalently, by key, with the reason printed when
   * they are left out of the equality check (their speed is still measured, on the closest
   * equivalent).
   */
  notEquivalent: Record<string, string>;
  /** What differs from Newsgate's requests, for the report. */
  notes: string[];
}

/**
 * PostGraphile v4's schema for the same tables (inflected from the foreign keys the
 * migrations create): `storyBySlug`, `allStories`, `publicationByPublicationId`,
 * `bulletsByStoryId`, `quotesByBulletId`, `speakerBySpeakerId`, `storyRelationsByStoryId`,
 * `storyByRelatedStoryId`. `id` is the integer primary key there (its global id is `nodeId`,
 * not asked for); the same orders as Newsgate's are spelled out with `orderBy`, always ending
 * in the primary key so that ties break as Newsgate breaks them.
 */
const STORY_FIELDS = `id slug headline standfirst section byline kind publishedAt canonicalUrl access imageUrl imageCaption imageCredit
    publicationByPublicationId { id name brand edition }
    bulletsByStoryId(orderBy: [POSITION_ASC, ID_ASC]) { nodes { id position text
      quotesByBulletId(orderBy: [START_OFFSET_ASC, ID_ASC]) { nodes { id text startOffset endOffset context speakerBySpeakerId { id name role } } } } }
    storyRelationsByStoryId(first: 5, orderBy: [RANK_ASC, ID_ASC]) { nodes { reason rank
      storyByRelatedStoryId { id slug headline publishedAt publicationByPublicationId { id name } } } }`;

const STORY_PAGE = `query StoryPage($slug: String!) {
  storyBySlug(slug: $slug) { ${STORY_FIELDS} storyTopicsByStoryId(orderBy: [POSITION_ASC, TOPIC_ASC]) { nodes { topic } } }
}`;

// Edge cursors and endCursor are asked for, as a client paging through would; the check
// compares the keyset positions they hold, re-encoded the way Newsgate encodes them.
const FRONT_PAGE = `query FrontPage($first: Int!, $after: Cursor) {
  allStories(first: $first, after: $after, orderBy: [PUBLISHED_AT_DESC, ID_DESC]) {
    edges { cursor node { ${STORY_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const SPEAKER_TIMELINE = `query SpeakerTimeline($slug: String!) {
  speakerBySlug(slug: $slug) {
    id name
    quotesBySpeakerId(first: 20, orderBy: [PUBLISHED_AT_DESC, ID_DESC]) {
      totalCount
      edges { cursor node { id text publishedAt storyByStoryId { id headline publicationByPublicationId { id name } } } }
    }
  }
}`;

const TYPENAME = `query Typename { __typename }`;

const DOCUMENTS: Record<string, string> = {
  StoryPage: STORY_PAGE,
  FrontPage: FRONT_PAGE,
  SpeakerTimeline: SPEAKER_TIMELINE,
  Typename: TYPENAME,
};

/**
 * PostGraphile's cursor for a row of `allStories(orderBy: [PUBLISHED_AT_DESC, ID_DESC])`:
 * base64 of the JSON [order names…, [sort values…]]. Newsgate's `after` cursor names the same
 * keyset position ([ISO published_at, id]), so the front page from a random position is
 * asked of PostGraphile from exactly that position: the cursor a client would hold had it
 * read the page before.
 */
export function postgraphileStoryCursor(newsgateCursor: string): string {
  const decoded = decodeDateCursor(newsgateCursor);
  if (!decoded) throw new Error(`not a Newsgate date cursor: ${newsgateCursor}`);
  const publishedAt = `${decoded.stored.replace(" ", "T")}Z`;
  return Buffer.from(JSON.stringify([...NEWEST_FIRST, [publishedAt, decoded.id]]), "utf8").toString("base64");
}

/** The order names PostGraphile puts at the front of its cursors for orderBy: [PUBLISHED_AT_DESC, ID_DESC]. */
const NEWEST_FIRST = ["published_at_desc", "id_desc"];

/**
 * Newsgate's cursor for the position a PostGraphile cursor of a newest-first list names: so
 * the check compares PostGraphile's own cursors (and endCursor), not ones made from the nodes.
 */
function newsgateCursor(postgraphileCursor: unknown): string {
  const decoded = JSON.parse(Buffer.from(String(postgraphileCursor), "base64").toString("utf8")) as unknown[];
  const [publishedAt, id] = decoded[decoded.length - 1] as [string, number];
  if (JSON.stringify(decoded.slice(0, -1)) !== JSON.stringify(NEWEST_FIRST)) {
    throw new Error(`PostGraphile cursor ${JSON.stringify(decoded)} is not for orderBy [PUBLISHED_AT_DESC, ID_DESC]`);
  }
  return cursorOf(publishedAt, id);
}

function translateVariables(operation: Operation, variables: Variables): Variables {
  if (operation.operationName !== "FrontPage" || typeof variables.after !== "string") return variables;
  return { ...variables, after: postgraphileStoryCursor(variables.after) };
}

interface Row {
  [field: string]: unknown;
}

type Nodes<T = Row> = { nodes: T[] };
type Edges<T = Row> = { edges: Array<{ cursor: string; node: T }> };

/** A PostGraphile Datetime (PostgreSQL's own text, e.g. 2025-01-01T00:05:00.12+00:00) as Newsgate's ISO string. */
const iso = (value: unknown) => new Date(String(value)).toISOString();
const cursorOf = (publishedAt: unknown, id: unknown) => dateCursor(iso(publishedAt).replace("T", " ").slice(0, -1), Number(id));

function publication(p: Row | null, full: boolean): Row | null {
  if (!p) return null;
  return full
    ? { id: globalId("Publication", Number(p.id)), name: p.name, brand: p.brand, edition: p.edition }
    : { id: globalId("Publication", Number(p.id)), name: p.name };
}

function story(s: Row | null, withTopics: boolean): Row | null {
  if (!s) return null;
  const bullets = (s.bulletsByStoryId as Nodes).nodes.map((b) => ({
    id: globalId("Bullet", Number(b.id)),
    position: b.position,
    text: b.text,
    quotes: (b.quotesByBulletId as Nodes).nodes.map((q) => {
      const speaker = q.speakerBySpeakerId as Row | null;
      return {
        id: globalId("Quote", Number(q.id)),
        text: q.text,
        startOffset: q.startOffset,
        endOffset: q.endOffset,
        context: q.context,
        speaker: speaker && { id: globalId("Speaker", Number(speaker.id)), name: speaker.name, role: speaker.role },
      };
    }),
  }));
  const related = (s.storyRelationsByStoryId as Nodes).nodes.map((r) => {
    const node = r.storyByRelatedStoryId as Row;
    return {
      reason: String(r.reason).toUpperCase(),
      rank: r.rank,
      node: {
        id: globalId("Story", Number(node.id)),
        slug: node.slug,
        headline: node.headline,
        publishedAt: iso(node.publishedAt),
        publication: publication(node.publicationByPublicationId as Row, false),
      },
    };
  });
  const hasImage = s.imageUrl != null || s.imageCaption != null || s.imageCredit != null;
  return {
    id: globalId("Story", Number(s.id)),
    slug: s.slug,
    headline: s.headline,
    standfirst: s.standfirst,
    section: s.section,
    byline: s.byline,
    kind: s.kind,
    publishedAt: iso(s.publishedAt),
    canonicalUrl: s.canonicalUrl,
    // Newsgate's Access enum is the stored value in capitals.
    access: String(s.access).toUpperCase(),
    ...(withTopics ? { topics: (s.storyTopicsByStoryId as Nodes<{ topic: string }>).nodes.map((t) => t.topic) } : {}),
    publication: publication(s.publicationByPublicationId as Row, true),
    image: hasImage ? { url: s.imageUrl, caption: s.imageCaption, credit: s.imageCredit } : null,
    bullets,
    related: { edges: related },
  };
}

const MAPPINGS: Record<string, (data: Row) => Row> = {
  StoryPage: (data) => ({ story: story(data.storyBySlug as Row | null, true) }),
  FrontPage: (data) => {
    const { edges, pageInfo } = data.allStories as Edges & { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    return {
      stories: {
        edges: edges.map(({ cursor, node }) => ({ cursor: newsgateCursor(cursor), node: story(node, false) })),
        pageInfo: { hasNextPage: pageInfo.hasNextPage, endCursor: pageInfo.endCursor === null ? null : newsgateCursor(pageInfo.endCursor) },
      },
    };
  },
  SpeakerTimeline: (data) => {
    const speaker = data.speakerBySlug as Row | null;
    if (!speaker) return { speaker: null };
    const quotes = speaker.quotesBySpeakerId as Edges & { totalCount: number };
    return {
      speaker: {
        id: globalId("Speaker", Number(speaker.id)),
        name: speaker.name,
        quotes: {
          totalCount: quotes.totalCount,
          edges: quotes.edges.map(({ cursor, node }) => {
            const s = node.storyByStoryId as Row;
            return {
              cursor: newsgateCursor(cursor),
              node: {
                id: globalId("Quote", Number(node.id)),
                text: node.text,
                publishedAt: iso(node.publishedAt),
                story: {
                  id: globalId("Story", Number(s.id)),
                  headline: s.headline,
                  publication: publication(s.publicationByPublicationId as Row, false),
                },
              },
            };
          }),
        },
      },
    };
  },
  Typename: (data) => data,
};

export const POSTGRAPHILE_DIALECT: Dialect = {
  requestBody(operation, variables) {
    const query = DOCUMENTS[operation.operationName];
    if (!query) throw new Error(`no PostGraphile document for ${operation.operationName}`);
    return JSON.stringify({ operationName: operation.operationName, query, variables: translateVariables(operation, variables) });
  },
  toNewsgate(operation, _variables, answer) {
    const { data, errors } = answer as { data?: Row | null; errors?: unknown };
    if (errors !== undefined || !data) return answer;
    return { data: MAPPINGS[operation.operationName](data) };
  },
  notEquivalent: {},
  notes: [
    "postgraphile is sent its own documents for the same operations (storyBySlug, allStories(orderBy: [PUBLISHED_AT_DESC, ID_DESC]), " +
      "speakerBySlug, and the nested relations PostGraphile infers from the foreign keys, ordered by the same keys as Newsgate's lists), " +
      "asking for the same columns, edge cursors and pageInfo. For the equality check only, outside the measured windows, its answers " +
      "are put in Newsgate's shape: global ids from its integer ids, Newsgate cursors from the [published_at, id] its own cursors hold, " +
      "the image object from its three columns, upper-case enums, nodes lists as edges.",
    "postgraphile's front page `after` is PostGraphile's cursor for the same keyset position as Newsgate's random cursor, " +
      "so both read the same page; the check compares all operations (none is left out).",
  ],
};
