import { createHash } from "node:crypto";

import { type HttpResult, startHttpServer, type HttpServer } from "../helpers/http-server";
import { readOperation } from "../helpers/operations";

/**
 * A query Apollo has resolved once is answered without Apollo's pipeline the next time
 * (src/http/prepared-operations.ts). Each case sends a request twice: the first through
 * Apollo, the second through the prepared path where it applies. What the client sees must
 * not change: same status, same body bytes, same headers. The /metrics counter says which
 * path answered.
 */
describe("prepared operations", () => {
  let api: HttpServer;
  let storySlug: string;
  beforeAll(async () => {
    api = await startHttpServer({ demo: true, config: { responseCacheSize: 0, anonymousRateLimit: 0 } });
    const found = await api.gql("{ stories(first: 1) { edges { node { slug } } } }");
    storySlug = found.body.data.stories.edges[0].node.slug;
  });
  afterAll(() => api.close());

  const prepared = async () => {
    const text = (await api.request({ path: "/metrics" })).text;
    return Number(/^newsgate_graphql_prepared_answers_total (\d+)$/m.exec(text)?.[1]);
  };
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    api.request({ method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const get = (params: Record<string, string> | string, headers: Record<string, string> = { "apollo-require-preflight": "1" }) =>
    api.request({ path: `/graphql?${typeof params === "string" ? params : new URLSearchParams(params)}`, headers });
  /** What a client can tell apart: the status, the headers that describe the answer, and its bytes. */
  const seen = (response: HttpResult) => ({
    status: response.status,
    contentType: response.headers.get("content-type"),
    cacheControl: response.headers.get("cache-control"),
    etag: response.headers.get("etag"),
    text: response.text,
  });
  /** Sends `request` twice; returns both answers and how many of the second were prepared (0 or 1). */
  const twice = async (request: () => Promise<HttpResult>) => {
    const first = await request();
    const before = await prepared();
    const second = await request();
    return { first: seen(first), second: seen(second), prepared: (await prepared()) - before };
  };

  it("answers a query Apollo has resolved once itself, with the bytes and headers Apollo sent", async () => {
    const reader = await api.key("prepared-reader", "reader");
    const cases: Array<[string, () => Promise<HttpResult>]> = [
      ["{ __typename }", () => post({ query: "{ __typename }" })],
      ["story page", () => post({ query: readOperation("story-page"), variables: { slug: storySlug } })],
      ["front page", () => post({ query: readOperation("front-page"), operationName: "FrontPage", variables: { first: 3 } })],
      ["a keyed caller's own data", () => post({ query: "{ viewer { name role } }" }, { authorization: `Bearer ${reader}` })],
      ["Accept: */*", () => post({ query: "{ publications { totalCount } }", variables: null, operationName: null }, { accept: "*/*" })],
      ["GET, with its ETag", () => get({ query: readOperation("story-page"), variables: JSON.stringify({ slug: storySlug }) })],
    ];
    for (const [name, request] of cases) {
      const { first, second, prepared: count } = await twice(request);
      expect({ name, count, second }).toEqual({ name, count: 1, second: first });
      expect([name, first.status, JSON.parse(first.text).errors]).toEqual([name, 200, undefined]);
    }
    // Logs and metrics name the operation as Apollo does.
    await post({ query: "{ __typename }" });
    expect(api.reports.at(-1)).toMatchObject({ operationName: null, errorCodes: [] });
    await post({ query: readOperation("front-page"), operationName: "FrontPage", variables: { first: 1 } });
    expect(api.reports.at(-1)).toMatchObject({ operationName: "FrontPage", sqlStatements: 1, errorCodes: [] });
  });

  it("leaves to Apollo every request it was not built for, which Apollo answers as before", async () => {
    const query = "{ publications { totalCount } }";
    const hash = createHash("sha256").update(query).digest("hex");
    await post({ query });
    const cases: Array<[string, () => Promise<HttpResult>]> = [
      ["GET without the CSRF header", () => get({ query }, {})],
      ["GET with a parameter twice", () => get(`query=${encodeURIComponent(query)}&query=${encodeURIComponent(query)}`)],
      ["GET with variables that are not an object", () => get({ query, variables: "null" })],
      ["GET with a content type", () => get({ query }, { "apollo-require-preflight": "1", "content-type": "text/plain" })],
      ["an empty operation name", () => post({ query, operationName: "" })],
      ["GraphQL's own media type", () => post({ query }, { accept: "application/graphql-response+json" })],
      ["an Accept header Apollo refuses", () => post({ query }, { accept: "text/html" })],
      ["a persisted query", () => post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })],
      ["variables as a JSON string", () => post({ query, variables: "{}" })],
      ["an operation name that is not a string", () => post({ query, operationName: 7 })],
    ];
    const statuses: Record<string, number> = {};
    for (const [name, request] of cases) {
      const { first, second, prepared: count } = await twice(request);
      expect({ name, count, second }).toEqual({ name, count: 0, second: first });
      statuses[name] = first.status;
    }
    expect(statuses).toEqual({
      "GET without the CSRF header": 400,
      "GET with a parameter twice": 400,
      "GET with variables that are not an object": 400,
      "GET with a content type": 415,
      "an empty operation name": 400,
      "GraphQL's own media type": 200,
      "an Accept header Apollo refuses": 406,
      "a persisted query": 200,
      "variables as a JSON string": 400,
      "an operation name that is not a string": 400,
    });
  });

  it("lets Apollo answer refusals, bad variables and resolver errors, the same as the first time", async () => {
    const strict = await api.key("prepared-strict", "reader", { maxDepth: 3 });
    const storyList = "{ stories(first: 2) { edges { node { headline } } } }";
    await post({ query: storyList });
    const cases: Array<[string, () => Promise<HttpResult>, number, string]> = [
      [
        "a caller's own depth limit",
        () => post({ query: storyList }, { authorization: `Bearer ${strict}` }),
        400,
        "GRAPHQL_VALIDATION_FAILED",
      ],
      ["variables of the wrong type", () => post({ query: readOperation("story-page"), variables: { slug: 5 } }), 400, "BAD_USER_INPUT"],
      ["a resolver's error", () => post({ query: '{ story(id: "not-an-id") { headline } }' }), 200, "BAD_USER_INPUT"],
    ];
    for (const [name, request, status, code] of cases) {
      const { first, second, prepared: count } = await twice(request);
      expect({ name, count, second }).toEqual({ name, count: 0, second: first });
      expect([name, first.status, JSON.parse(first.text).errors[0].extensions.code]).toEqual([name, status, code]);
    }
  });
});

describe("prepared operations when the database fails", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ demo: true, config: { responseCacheSize: 0, anonymousRateLimit: 0 } });
  });
  afterAll(() => api.close());

  it("answers as Apollo does: a GraphQL error with no internals, not a bare 500", async () => {
    const query = "{ publications { edges { node { name } } } }";
    expect((await api.gql(query)).status).toBe(200);
    await api.dataSource.query("ALTER TABLE publications RENAME TO publications_gone");
    try {
      const prepared = await api.gql(query);
      // The same document with a trailing space is a text Apollo has not resolved yet.
      const unprepared = await api.gql(`${query} `);
      expect([prepared.status, prepared.body]).toEqual([unprepared.status, unprepared.body]);
      expect(prepared.body.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
      expect(JSON.stringify(prepared.body)).not.toMatch(/publications_gone|SQL|stack/i);
    } finally {
      await api.dataSource.query("ALTER TABLE publications_gone RENAME TO publications");
    }
  });
});

describe("prepared operations, bounded", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ config: { responseCacheSize: 0, anonymousRateLimit: 0 } });
  });
  afterAll(() => api.close());

  it("keeps the last 500 texts: the oldest is resolved by Apollo again, then prepared again", async () => {
    const prepared = async () =>
      Number(/^newsgate_graphql_prepared_answers_total (\d+)$/m.exec((await api.request({ path: "/metrics" })).text)?.[1]);
    const query = (i: number) => `query Q${i} { __typename }`;
    for (let i = 0; i <= 500; i++) expect((await api.gql(query(i))).status).toBe(200);
    const counts = [await prepared()];
    for (const i of [500, 0, 0]) {
      await api.gql(query(i));
      counts.push(await prepared());
    }
    // Q500 was still kept; Q0 had left (501 texts), so Apollo answered it and it was learnt again.
    expect(counts.map((count) => count - counts[0])).toEqual([0, 1, 1, 2]);
  });
});

describe("prepared operations and the rate limit", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ config: { anonymousRateLimit: 3 } });
  });
  afterAll(() => api.close());

  it("counts every request, prepared or not, against the caller's limit", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.gql("{ __typename }")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
