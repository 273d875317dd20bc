import { type Workload } from "./workload";

export type Variables = Record<string, unknown>;

/**
 * One kind of request the benchmark sends, with the same document to every variant that
 * speaks Newsgate's schema (PostGraphile is sent its own: postgraphile-operations.ts).
 */
export interface Operation {
  /** Stable key for results and targets. */
  key: string;
  label: string;
  operationName: string;
  query: string;
  /** The variables of successive requests, cycled through under load. */
  variables(workload: Workload): Variables[];
  /** How many of those are checked against the floor before speed counts. */
  verifyCount: number;
}

const STORY_FIELDS = `id slug headline standfirst section byline kind publishedAt canonicalUrl access
    publication { id name brand edition }
    image { url caption credit }
    bullets { id position text quotes { id text startOffset endOffset context speaker { id name role } } }
    related(first: 5) { edges { reason rank node { id slug headline publishedAt publication { id name } } } }`;

const STORY_PAGE = `query StoryPage($slug: String!) {
  story(slug: $slug) { ${STORY_FIELDS} topics }
}`;

// Front pages leave out topics: a list page does not show them.
const FRONT_PAGE = `query FrontPage($first: Int!, $after: String) {
  stories(first: $first, after: $after) {
    edges { cursor node { ${STORY_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const SPEAKER_TIMELINE = `query SpeakerTimeline($slug: String!) {
  speaker(slug: $slug) {
    id name
    quotes(first: 20) {
      totalCount
      edges { cursor node { id text publishedAt story { id headline publication { id name } } } }
    }
  }
}`;

const TYPENAME = `query Typename { __typename }`;

export const frontPageKey = (first: number) => `frontPage${first}`;

function frontPage(first: number): Operation {
  return {
    key: frontPageKey(first),
    label: `front page (${first})`,
    operationName: "FrontPage",
    query: FRONT_PAGE,
    variables: (workload) => workload.cursors.map((after) => ({ first, after })),
    verifyCount: 10,
  };
}

/** The front page sizes measured: the statement count must not grow with them. */
export const FRONT_PAGE_SIZES = [10, 50, 100];

export const OPERATIONS: readonly Operation[] = [
  {
    key: "storyPage",
    label: "story page",
    operationName: "StoryPage",
    query: STORY_PAGE,
    variables: (workload) => workload.storySlugs.map((slug) => ({ slug })),
    verifyCount: 20,
  },
  ...FRONT_PAGE_SIZES.map(frontPage),
  {
    key: "speakerTimeline",
    label: "speaker timeline",
    operationName: "SpeakerTimeline",
    query: SPEAKER_TIMELINE,
    variables: (workload) => workload.speakerSlugs.map((slug) => ({ slug })),
    verifyCount: 20,
  },
  {
    key: "typename",
    label: "{ __typename }",
    operationName: "Typename",
    query: TYPENAME,
    variables: () => [{}],
    verifyCount: 1,
  },
];

export function requestBody(operation: Operation, variables: Variables): string {
  return JSON.stringify({ operationName: operation.operationName, query: operation.query, variables });
}
