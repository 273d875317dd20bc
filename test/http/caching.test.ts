import { createHash } from "node:crypto";

import { startHttpServer, type HttpServer } from "../helpers/http-server";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("Cache-Control, ETag and persisted queries", () => {
  let api: HttpServer;
  let reader: string;
  beforeAll(async () => {
    api = await startHttpServer({ demo: true });
    reader = await api.key("web", "reader");
  });
  afterAll(() => api.close());

  const get = (query: string, headers: Record<string, string> = {}, extensions?: unknown) => {
    const params = new URLSearchParams({ query });
    if (extensions) params.set("extensions", JSON.stringify(extensions));
    if (!query) params.delete("query");
    return api.request({ path: `/graphql?${params}`, headers: { "apollo-require-preflight": "true", ...headers } });
  };

  it("lets any cache keep published content for CACHE_MAX_AGE seconds", async () => {
    const anonymous = await api.gql("{ stories(first: 2) { edges { node { headline } } } }");
    const keyed = await api.gql("{ publications { totalCount } }", { key: reader });
    expect([anonymous.headers.get("cache-control"), keyed.headers.get("cache-control")]).toEqual([
      "max-age=60, public",
      "max-age=60, public",
    ]);
  });

  it("keeps per-caller data, errors, mutations and refused requests out of caches", async () => {
    const viewer = await api.gql("{ viewer { name } stories(first: 1) { totalCount } }", { key: reader });
    const error = await api.gql('{ story(id: "not-an-id") { headline } }');
    const admin = await api.key("ops", "admin");
    const mutation = await api.gql('mutation { setClientAppEnabled(name: "web", enabled: true) { name } }', { key: admin });
    const refused = await api.gql("{ __typename }", { key: "ng_wrong" });
    expect([viewer, error, mutation, refused].map((response) => [response.status, response.headers.get("cache-control")])).toEqual([
      [200, "no-store"],
      [200, "no-store"],
      [200, "no-store"],
      [401, "no-store"],
    ]);
  });

  it("answers a repeated GET with 304 Not Modified when the ETag still matches", async () => {
    const first = await get("{ stories(first: 3) { edges { node { headline } } } }");
    const etag = first.headers.get("etag");
    expect([first.status, first.headers.get("cache-control"), etag]).toEqual([200, "max-age=60, public", expect.stringMatching(/^W\/"/)]);
    // As a browser revalidates; without a Cache-Control of its own, fetch() would add "no-cache".
    const again = await get("{ stories(first: 3) { edges { node { headline } } } }", {
      "if-none-match": etag!,
      "cache-control": "max-age=0",
    });
    expect([again.status, again.text]).toEqual([304, ""]);
    const changed = await get("{ stories(first: 4) { edges { node { headline } } } }", {
      "if-none-match": etag!,
      "cache-control": "max-age=0",
    });
    expect(changed.status).toBe(200);
  });

  it("accepts automatic persisted queries: the hash alone once the query is known, over POST or GET", async () => {
    const query = "query Headlines { stories(first: 2) { edges { node { headline } } } }";
    const persisted = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const unknown = await api.request({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ extensions: persisted }),
    });
    expect(unknown.body).toEqual({ errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] });
    const registered = await api.request({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, extensions: persisted }),
    });
    expect(registered.body.data.stories.edges).toHaveLength(2);
    const byHash = await get("", {}, persisted);
    expect([byHash.status, byHash.body, byHash.headers.get("cache-control")]).toEqual([200, registered.body, "max-age=60, public"]);
    const wrongHash = await api.request({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }", extensions: persisted }),
    });
    expect([wrongHash.status, wrongHash.body]).toEqual([
      400,
      { errors: [{ message: "provided sha does not match query", extensions: { code: "BAD_REQUEST" } }] },
    ]);
  });
});

describe("CACHE_MAX_AGE=0 and ALLOW_ANONYMOUS_READS=false", () => {
  it("turns caching off, or keeps answers out of shared caches when every reader needs a key", async () => {
    const off = await startHttpServer({ config: { cacheMaxAge: 0 } });
    const keyed = await startHttpServer({ config: { allowAnonymousReads: false } });
    try {
      expect((await off.gql("{ publications { totalCount } }")).headers.get("cache-control")).toBe("no-store");
      const key = await keyed.key("web", "reader");
      expect((await keyed.gql("{ publications { totalCount } }", { key })).headers.get("cache-control")).toBe("max-age=60, private");
    } finally {
      await off.close();
      await keyed.close();
    }
  });
});
