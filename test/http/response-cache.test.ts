import fs from "node:fs";
import { type AddressInfo } from "node:net";
import path from "node:path";

import Redis from "ioredis";

import { createClientApp } from "../../src/access/client-apps";
import { type Config, loadConfig } from "../../src/config";
import { toGlobalId } from "../../src/relay/global-id";
import { InProcessResponseStore } from "../../src/http/response-store";
import { createServer, type NewsgateServer, type RequestReport } from "../../src/server";
import { makePublication, makeSpeaker, makeStory } from "../helpers/factories";
import { createTempDatabase, type TempDatabase } from "../helpers/temp-database";

const TEST_REDIS = process.env.NEWSGATE_TEST_REDIS || null;
const ARTICLE = fs.readFileSync(path.join(__dirname, "..", "fixtures", "articles", "01-veldoria-ceasefire-summit.txt"), "utf8");

const STORY = `query Story($id: ID!) { story(id: $id) { headline bullets { quotes { id text speaker { name } } } } }`;
const FRONT = `query Front { stories(first: 5) { edges { node { headline } } } }`;

interface Api {
  server: NewsgateServer;
  database: TempDatabase;
  reports: RequestReport[];
  url: string;
  post(query: string, variables?: Record<string, unknown>, key?: string): Promise<{ status: number; headers: Headers; body: any }>;
  /** The last request's SQL statement count. */
  lastSql(): number;
  cacheCounts(): Promise<{ hit: number; miss: number }>;
  close(): Promise<void>;
}

async function start(config: Partial<Config> = {}, redis?: Redis): Promise<Api> {
  const database = await createTempDatabase();
  const reports: RequestReport[] = [];
  const server = await createServer({
    config: { env: "test", ...config },
    dataSource: database.dataSource,
    onRequest: (report) => reports.push(report),
    redis,
  });
  await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
  return {
    server,
    database,
    reports,
    url,
    async post(query, variables, key) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    lastSql: () => reports.at(-1)!.sqlStatements,
    async cacheCounts() {
      const text = await server.metrics.registry.getSingleMetricAsString("newsgate_response_cache_requests_total");
      const count = (result: string) => Number(new RegExp(`result="${result}"} (\\d+)`).exec(text)?.[1] ?? 0);
      return { hit: count("hit"), miss: count("miss") };
    },
    async close() {
      await server.stop();
      await database.cleanup();
    },
  };
}

const stores: Array<[string, boolean]> = [["in-process", false], ...(TEST_REDIS ? [["Redis", true] as [string, boolean]] : [])];

describe.each(stores)("the response cache (%s)", (_name, useRedis) => {
  let redis: Redis | undefined;
  const prefix = `newsgate-test:${process.pid}:${Date.now()}:`;
  let api: Api;
  let editor: string;
  let storyA: number;
  let storyB: number;
  let spare: { id: number; name: string };

  beforeAll(async () => {
    if (useRedis) redis = new Redis(TEST_REDIS!);
    api = await start({ redisKeyPrefix: prefix }, redis);
    const ds = api.database.dataSource;
    const publication = await makePublication(ds);
    const [s1, s2, s3] = [await makeSpeaker(ds), await makeSpeaker(ds), await makeSpeaker(ds)];
    storyA = (await makeStory(ds, { publication, bullets: 2, speakers: [s1] })).id;
    storyB = (await makeStory(ds, { publication, bullets: 2, speakers: [s2] })).id;
    spare = { id: s3.id, name: s3.name };
    editor = (await createClientApp(ds, { name: "desk", role: "editor" })).key;
  });

  afterAll(async () => {
    await api.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  it("answers a repeated query from the cache, without SQL, with the same headers", async () => {
    const variables = { id: toGlobalId("Story", storyA) };
    const before = await api.cacheCounts();
    const first = await api.post(STORY, variables);
    const firstSql = api.lastSql();
    const second = await api.post(STORY, variables);
    expect([firstSql > 0, api.lastSql()]).toEqual([true, 0]);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("cache-control")).toBe("max-age=60, public");
    expect(second.headers.get("age")).toMatch(/^\d+$/);
    expect(await api.cacheCounts()).toEqual({ hit: before.hit + 1, miss: before.miss + 1 });
  });

  it("keeps ETag and 304 Not Modified working for cached GET answers", async () => {
    const get = (headers: Record<string, string> = {}) =>
      fetch(`${api.url}?${new URLSearchParams({ query: FRONT })}`, { headers: { "apollo-require-preflight": "true", ...headers } });
    const miss = await get();
    const hit = await get();
    expect(api.lastSql()).toBe(0);
    expect(hit.headers.get("etag")).toBe(miss.headers.get("etag"));
    const revalidated = await get({ "if-none-match": miss.headers.get("etag")!, "cache-control": "max-age=0" });
    expect(revalidated.status).toBe(304);
  });

  it("answers a hit only to a caller admission lets through, and a GET only with a preflight header", async () => {
    const variables = { id: toGlobalId("Story", storyB) };
    await api.post(STORY, variables);
    const hit = await api.post(STORY, variables);
    expect([hit.status, api.lastSql()]).toEqual([200, 0]);
    const wrongKey = await api.post(STORY, variables, "ng_not-a-key");
    expect([wrongKey.status, wrongKey.body.data, wrongKey.body.errors[0].extensions.code]).toEqual([401, undefined, "UNAUTHENTICATED"]);
    const url = `${api.url}?${new URLSearchParams({ query: FRONT })}`;
    await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    const simple = await fetch(url);
    expect(simple.status).toBe(400);
    expect(((await simple.json()) as { data?: unknown }).data).toBeUndefined();
  });

  it("drops the cached page of a corrected story, and only that one", async () => {
    const [a, b] = [{ id: toGlobalId("Story", storyA) }, { id: toGlobalId("Story", storyB) }];
    const warmA = await api.post(STORY, a);
    await api.post(STORY, b);
    await api.post(STORY, b);
    expect(api.lastSql()).toBe(0);
    const quote = warmA.body.data.story.bullets[0].quotes[0].id;
    const corrected = await api.post(
      `mutation($q: ID!, $s: ID!) { setQuoteSpeaker(quote: $q, speaker: $s) { id } }`,
      { q: quote, s: toGlobalId("Speaker", spare.id) },
      editor,
    );
    expect(corrected.body.errors).toBeUndefined();
    const afterA = await api.post(STORY, a);
    expect([api.lastSql() > 0, afterA.body.data.story.bullets[0].quotes[0].speaker.name]).toEqual([true, spare.name]);
    await api.post(STORY, b);
    expect(api.lastSql()).toBe(0);
  });

  it("drops cached lists when an ingest adds a story", async () => {
    await api.post(FRONT);
    await api.post(FRONT);
    expect(api.lastSql()).toBe(0);
    const ingested = await api.post(
      `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { story { headline } created } }`,
      { input: { text: ARTICLE } },
      editor,
    );
    expect(ingested.body.data.ingestArticle.created).toBe(true);
    const front = await api.post(FRONT);
    expect(api.lastSql()).toBeGreaterThan(0);
    expect(front.body.data.stories.edges.map((e: any) => e.node.headline)).toContain(ingested.body.data.ingestArticle.story.headline);
  });

  it("never caches per-caller, admin or failed answers", async () => {
    const reader = (await createClientApp(api.database.dataSource, { name: "web", role: "reader" })).key;
    const admin = (await createClientApp(api.database.dataSource, { name: "ops", role: "admin" })).key;
    const before = await api.cacheCounts();
    const twice = async (query: string, key?: string) => [await api.post(query, {}, key), await api.post(query, {}, key)];
    const viewer = await twice("{ viewer { name } stories(first: 1) { totalCount } }", reader);
    const apps = await twice("{ clientApps { name } }", admin);
    const failed = await twice('{ story(id: "not-an-id") { headline } }');
    const partial = await twice(`{ a: stories(first: 1) { totalCount } b: story(id: "${toGlobalId("Speaker", 1)}") { headline } }`);
    expect([...viewer, ...apps].map((r) => r.headers.get("cache-control"))).toEqual(Array(4).fill("no-store"));
    expect([...failed, ...partial].every((r) => r.body.errors?.length > 0)).toBe(true);
    const after = await api.cacheCounts();
    expect(after.hit).toBe(before.hit);
  });
});

describe("the response cache, configured", () => {
  it("is off with RESPONSE_CACHE_SIZE=0", async () => {
    const api = await start({ responseCacheSize: 0 });
    try {
      await api.post(FRONT);
      await api.post(FRONT);
      expect(api.lastSql()).toBeGreaterThan(0);
      expect(await api.server.metrics.registry.getSingleMetric("newsgate_response_cache_requests_total")).toBeUndefined();
    } finally {
      await api.close();
    }
  });

  it("keeps no answer larger than RESPONSE_CACHE_MB allows, and refuses a budget below 1 MB", async () => {
    const api = await start({ responseCacheBytes: 1 });
    try {
      await api.post(FRONT);
      await api.post(FRONT);
      expect(api.lastSql()).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
    expect(() => loadConfig({ NODE_ENV: "test", RESPONSE_CACHE_MB: "0" })).toThrow(/RESPONSE_CACHE_MB/);
  });

  it("keeps answering when Redis is unreachable: cache misses, rate limits not enforced", async () => {
    // Nothing listens on port 1, and without an offline queue every command fails at once.
    const down = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const api = await start({ anonymousRateLimit: 1 }, down);
    try {
      const answers = [await api.post(FRONT), await api.post(FRONT), await api.post(FRONT)];
      expect(answers.map((a) => [a.status, a.body.errors])).toEqual(Array(3).fill([200, undefined]));
      expect(api.lastSql()).toBeGreaterThan(0);
    } finally {
      await api.close();
      down.disconnect();
    }
  });

  it("keeps at most RESPONSE_CACHE_SIZE entries, dropping the least recently used", async () => {
    const store = new InProcessResponseStore(2);
    const entry = { body: "{}", policy: { maxAge: 60, scope: "PUBLIC" as const }, storedAt: 0 };
    const { epoch } = await store.get("a");
    for (const key of ["a", "b"]) await store.set(key, entry, ["lists"], 60_000, epoch);
    await store.get("a");
    await store.set("c", entry, ["story:1"], 60_000, epoch);
    const body = async (key: string) => {
      const found = (await store.get(key)).entry;
      return found && String(found.body);
    };
    expect([await body("a"), await body("b"), await body("c")]).toEqual(["{}", null, "{}"]);
    expect(await store.invalidate(["story:1"])).toBe(1);
    expect([store.size, (await store.get("c")).entry]).toEqual([1, null]);
  });

  it("keeps at most RESPONSE_CACHE_MB of bodies, dropping the least recently used; a body over the whole budget is not kept", async () => {
    const store = new InProcessResponseStore(100, 25);
    const entry = (body: string) => ({ body, policy: { maxAge: 60, scope: "PUBLIC" as const }, storedAt: 0 });
    const { epoch } = await store.get("a");
    await store.set("a", entry("x".repeat(10)), ["lists"], 60_000, epoch);
    await store.set("b", entry("y".repeat(10)), ["lists"], 60_000, epoch);
    await store.set("c", entry("z".repeat(10)), ["lists"], 60_000, epoch);
    expect([(await store.get("a")).entry, store.size, store.heldBytes]).toEqual([null, 2, 20]);
    expect(await store.set("huge", entry("h".repeat(26)), ["lists"], 60_000, epoch)).toBe(false);
    expect(await store.invalidate(["lists"])).toBe(2);
    expect([store.size, store.heldBytes]).toEqual([0, 0]);
  });

  it("does not keep an answer computed while a write invalidated what it shows", async () => {
    const store = new InProcessResponseStore(10);
    const entry = { body: "{}", policy: { maxAge: 60, scope: "PUBLIC" as const }, storedAt: 0 };
    const { epoch } = await store.get("page");
    await store.invalidate(["story:7"]);
    expect(await store.set("page", entry, ["story:7"], 60_000, epoch)).toBe(false);
    expect((await store.get("page")).entry).toBeNull();
  });
});
