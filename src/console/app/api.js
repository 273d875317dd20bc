// The console's only way to the server: POST /graphql with the editor's key. Plain JavaScript
// on purpose (like the playground's entry): it runs in the browser, outside the server's
// TypeScript project, whose settings have no DOM types.

const KEY_ITEM = "newsgate-console-key";

/** The key lives in this tab's session storage only: never in a URL, a cookie or local storage. */
export const keyStore = {
  get: () => sessionStorage.getItem(KEY_ITEM),
  set: (key) => sessionStorage.setItem(KEY_ITEM, key),
  clear: () => sessionStorage.removeItem(KEY_ITEM),
};

/** A GraphQL error as the API reported it: its `extensions.code` and message. */
export class ApiError extends Error {
  constructor(errors) {
    const first = errors[0] ?? {};
    super(first.message ?? "The request failed");
    this.code = first.extensions?.code ?? "ERROR";
    this.errors = errors;
  }
}

export async function gql(query, variables = {}) {
  const key = keyStore.get();
  const headers = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }), credentials: "omit" });
  } catch (error) {
    throw new ApiError([{ message: `The server could not be reached (${error.message})`, extensions: { code: "NETWORK" } }]);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError([
      { message: `The server answered ${response.status} without JSON`, extensions: { code: `HTTP_${response.status}` } },
    ]);
  }
  if (body.errors?.length) throw new ApiError(body.errors);
  return body.data;
}

/** Only the filter fields that are set, so an empty filter field never narrows a list. */
export function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null && value !== ""));
}

/** A date input's value (YYYY-MM-DD) as the start or the end of that UTC day. */
export function dayStart(day) {
  return day ? `${day}T00:00:00.000Z` : undefined;
}
export function dayEnd(day) {
  return day ? `${day}T23:59:59.999Z` : undefined;
}

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});
export const formatDate = (iso) => (iso ? DATE.format(new Date(iso)) : "");
export const formatDateTime = (iso) => (iso ? `${DATE_TIME.format(new Date(iso))} UTC` : "");

export const ATTRIBUTION_RULES = [
  "TAG_BEFORE",
  "TAG_AFTER",
  "SENTENCE_SUBJECT",
  "PRONOUN",
  "DESCRIPTION",
  "CONTINUATION",
  "EDITOR",
  "NONE",
];

export const CORRECTION_KINDS = [
  "CONFIRM_QUOTE",
  "SET_QUOTE_SPEAKER",
  "CLEAR_QUOTE_SPEAKER",
  "CREATE_SPEAKER",
  "MERGE_SPEAKERS",
  "RENAME_SPEAKER",
  "SET_SPEAKER_ROLE",
  "LINK_STORIES",
  "UNLINK_STORIES",
];

export const humanize = (value) => (value ? value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, " ") : "");
