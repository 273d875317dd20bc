import { Registry } from "prom-client";

import { type Config, loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/database";
import { Feed, FeedStatus } from "../../src/feed/feed.entity";
import { FeedMetrics } from "../../src/feed/feed.metrics";
import { FeedPoller } from "../../src/feed/feed.poller";
import { createLogger } from "../../src/http/request-log";
import { Story } from "../../src/story/story.entity";
import { makePublication } from "../helpers/factories";
import { FeedServer, haveSharedArticles, type PageFormat } from "../helpers/feed-server";
import { type HttpServer, startHttpServer } from "../helpers/http-server";
import { createTempDatabase, onPostgres } from "../helpers/temp-database";

if (!haveSharedArticles) {
  // eslint-disable-next-line no-console
  console.log("skipping the feed tests: ../shared/articles (html/ and real/) is not there to build feeds and pages from");
}

// Polls fetch and ingest the publishers' real pages (up to 1 MB of HTML each): slow on a busy machine.
jest.setTimeout(120_000);

/** Pages the local publisher serves for feed items. */
const PAGE_FORMAT: PageFormat = "html";

const feedSettings = (overrides: Partial<Config["feeds"]> = {}): Config["feeds"] => ({
  ...loadConfig({ NODE_ENV: "test" }).feeds,
  allowHosts: ["127.0.0.1"],
  fetchTimeoutMs: 1500,
  maxBytes: 2 * 1024 * 1024,
  pollIntervalSeconds: 3600,
  ...overrides,
});

const FEEDS = `query Feeds($publication: String) {
  feeds(first: 50, publication: $publication) {
    totalCount
    edges { node { id url lastPolledAt lastStatus lastError itemsIngested nextPollAt publication { slug } } }
  }
}`;
const ADD = `mutation Add($input: AddFeedInput!) { addFeed(input: $input) { id url lastStatus itemsIngested publication { slug } } }`;
const REMOVE = `mutation Remove($id: ID!) { removeFeed(id: $id) { id url } }`;

(haveSharedArticles ? describe : describe.skip)("feeds: register over GraphQL, poll a local publisher", () => {
  let api: HttpServer;
  let publisher: FeedServer;
  let editor: string;
  let reader: string;
  let slug: string;

  beforeAll(async () => {
    publisher = await new FeedServer().start();
    publisher.format = PAGE_FORMAT;
    api = await startHttpServer({ config: { responseCacheSize: 0, feeds: feedSettings({ polling: true }) } });
    editor = await api.key("desk", "editor");
    reader = await api.key("widget", "reader");
    slug = (await makePublication(api.dataSource, { slug: "test-news" })).slug;
  });
  afterAll(async () => {
    await api?.close();
    await publisher?.close();
  });

  const feedRow = (url: string) => api.dataSource.getRepository(Feed).findOneByOrFail({ url });
  const poll = (url: string) => feedRow(url).then((feed) => api.server.feedPoller!.pollNow([feed.id]));
  const storyCount = () => api.dataSource.getRepository(Story).count();
  const add = async (url: string, key = editor) => api.gql(ADD, { key, variables: { input: { publication: slug, url } } });

  it("refuses bad input with a code and writes nothing", async () => {
    const cases: Array<[Record<string, unknown>, string, string?]> = [
      [{ publication: slug, url: "ftp://example.com/feed.xml" }, "BAD_USER_INPUT"],
      [{ publication: slug, url: "javascript:alert(1)" }, "BAD_USER_INPUT"],
      [{ publication: slug, url: "not a url" }, "BAD_USER_INPUT"],
      [{ publication: slug, url: "https://user:secret@example.com/feed" }, "BAD_USER_INPUT"],
      [{ publication: slug, url: `https://example.com/${"a".repeat(2100)}` }, "BAD_USER_INPUT"],
      [{ publication: "", url: "https://example.com/feed" }, "BAD_USER_INPUT"],
      [{ publication: "no-such-publication", url: "https://example.com/feed" }, "NOT_FOUND"],
    ];
    for (const [input, code] of cases) {
      const { body } = await api.gql(ADD, { key: editor, variables: { input } });
      expect([body.data, body.errors?.[0]?.extensions?.code]).toEqual([null, code]);
    }
    const missing = await api.gql(ADD, { key: editor, variables: { input: { url: "https://example.com/feed" } } });
    expect(missing.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect((await api.gql(FEEDS, {})).body.data.feeds.totalCount).toBe(0);
  });

  it("needs an editor key to add or remove a feed", async () => {
    const asReader = await add(`${publisher.origin}/feeds/news.rss`, reader);
    expect([asReader.status, asReader.body.errors[0].extensions.code]).toEqual([403, "FORBIDDEN"]);
    const anonymous = await api.gql(ADD, { variables: { input: { publication: slug, url: `${publisher.origin}/feeds/news.rss` } } });
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect((await api.gql(FEEDS, {})).body.data.feeds.totalCount).toBe(0);

    const added = await add("https://feeds.example.com/remove-me.xml");
    expect(added.body.data.addFeed).toMatchObject({ url: "https://feeds.example.com/remove-me.xml", lastStatus: null, itemsIngested: 0 });
    const id = added.body.data.addFeed.id;
    expect((await add("https://feeds.example.com/remove-me.xml")).body.errors[0].extensions.code).toBe("CONFLICT");
    const removedByReader = await api.gql(REMOVE, { key: reader, variables: { id } });
    expect(removedByReader.body.errors[0].extensions.code).toBe("FORBIDDEN");
    const wrongType = await api.gql(REMOVE, { key: editor, variables: { id: Buffer.from("Story:1").toString("base64url") } });
    expect(wrongType.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const removed = await api.gql(REMOVE, { key: editor, variables: { id } });
    expect(removed.body.data.removeFeed).toEqual({ id, url: "https://feeds.example.com/remove-me.xml" });
    expect((await api.gql(REMOVE, { key: editor, variables: { id } })).body.errors[0].extensions.code).toBe("NOT_FOUND");
    expect((await api.gql(FEEDS, {})).body.data.feeds.totalCount).toBe(0);
  });

  it("ingests new items, skips known ones, re-ingests an updated one in place, and sends validators (ETag)", async () => {
    const url = `${publisher.origin}/feeds/news.rss`;
    publisher.setItems([{ article: "real-01" }, { article: "real-02" }]);
    const added = await add(url);
    expect(added.body.data.addFeed.publication).toEqual({ slug });

    const [first] = await poll(url);
    expect(first).toMatchObject({ status: FeedStatus.OK, created: 2, updated: 0, skipped: 0, failed: 0 });
    expect(await storyCount()).toBe(2);
    expect(publisher.conditional.at(-1)).toMatchObject({ path: "/feeds/news.rss", ifNoneMatch: undefined });
    expect(publisher.conditional.at(-1)!.userAgent).toMatch(/^Newsgate\//);

    // Unchanged: the conditional GET answers 304 and no page is fetched.
    const [second] = await poll(url);
    expect(second).toMatchObject({ status: FeedStatus.NOT_MODIFIED, created: 0 });
    expect(publisher.conditional.at(-1)!.ifNoneMatch).toMatch(/^"[0-9a-f]{40}"$/);
    expect([publisher.hitCount("/pages/real-01"), publisher.hitCount("/pages/real-02")]).toEqual([1, 1]);

    // Changed: one item new, one updated (new date), one the same.
    publisher.setItems([{ article: "real-01" }, { article: "real-02", updated: "2026-11-02T12:00:00Z" }, { article: "real-03" }]);
    const [third] = await poll(url);
    expect(third).toMatchObject({ status: FeedStatus.OK, created: 1, updated: 1, skipped: 1, failed: 0 });
    expect(await storyCount()).toBe(3);
    expect([publisher.hitCount("/pages/real-01"), publisher.hitCount("/pages/real-02"), publisher.hitCount("/pages/real-03")]).toEqual([
      1, 2, 1,
    ]);

    const { body } = await api.gql(FEEDS, { variables: { publication: slug } });
    const feed = body.data.feeds.edges.map((e: any) => e.node).find((f: any) => f.url === url);
    expect(feed).toMatchObject({ lastStatus: "OK", lastError: null, itemsIngested: 4, publication: { slug } });
    expect(Date.parse(feed.nextPollAt) - Date.parse(feed.lastPolledAt)).toBeGreaterThanOrEqual(0.8 * 3600 * 1000 - 1000);
    const stories = await api.gql(`{ publication(slug: "${slug}") { stories(first: 10) { totalCount } } }`, {});
    expect(stories.body.data.publication.stories.totalCount).toBe(3);

    const metrics = await api.request({ path: "/metrics", method: "GET" });
    expect(metrics.text).toMatch(/newsgate_feed_polls_total\{outcome="ok"\} 2/);
    expect(metrics.text).toMatch(/newsgate_feed_polls_total\{outcome="not_modified"\} 1/);
    expect(metrics.text).toMatch(/newsgate_feed_items_total\{outcome="created"\} 3/);
    expect(metrics.text).toMatch(/newsgate_feed_items_total\{outcome="updated"\} 1/);
  });

  it("answers 304 to If-Modified-Since on an Atom feed, and skips items already ingested under another feed", async () => {
    const url = `${publisher.origin}/feeds/news.atom`;
    await add(url);
    const before = await storyCount();
    const [first] = await poll(url);
    // The same links as the RSS feed: already stories, so no page is fetched.
    expect(first).toMatchObject({ status: FeedStatus.OK, created: 0, skipped: 3 });
    expect(await storyCount()).toBe(before);
    const [second] = await poll(url);
    expect(second.status).toBe(FeedStatus.NOT_MODIFIED);
    expect(publisher.conditional.at(-1)).toMatchObject({ path: "/feeds/news.atom", ifModifiedSince: publisher.lastModified.toUTCString() });
    // A gzip-compressed feed reads the same.
    await add(`${publisher.origin}/feeds/news-gzip.rss`);
    expect((await poll(`${publisher.origin}/feeds/news-gzip.rss`))[0]).toMatchObject({ status: FeedStatus.OK, skipped: 3 });
  });

  it("records a timeout, a redirect to a private address, a busy publisher and a non-feed, and polls the others regardless", async () => {
    const failing = ["slow", "to-localhost", "to-metadata", "loop", "busy", "huge", "gzip-bomb", "not-a-feed"].map(
      (name) => `${publisher.origin}/feeds/${name}.rss`,
    );
    for (const url of failing) expect((await add(url)).body.errors).toBeUndefined();
    publisher.setItems([...publisher.items, { article: "real-04" }]);
    const ids = await Promise.all([...failing, `${publisher.origin}/feeds/news.rss`].map((url) => feedRow(url).then((f) => f.id)));
    const started = Date.now();
    const reports = await api.server.feedPoller!.pollNow(ids);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(reports.find((r) => r.url.endsWith("/news.rss"))).toMatchObject({ status: FeedStatus.OK, created: 1 });

    const { body } = await api.gql(FEEDS, {});
    const byName = Object.fromEntries(
      body.data.feeds.edges.map((e: any) => [e.node.url.replace(/^.*\/feeds\/|\.rss$|\.atom$/g, ""), e.node]),
    );
    expect(byName.slow).toMatchObject({ lastStatus: "FAILED", lastError: expect.stringMatching(/took longer than 1500 ms/) });
    expect(byName["to-localhost"]).toMatchObject({
      lastStatus: "FAILED",
      lastError: expect.stringMatching(/localhost resolves to (127\.0\.0\.1|::1), a loopback address; not fetched/),
    });
    expect(byName["to-metadata"]).toMatchObject({ lastStatus: "FAILED", lastError: "169.254.169.254 is a linkLocal address; not fetched" });
    expect(byName.loop.lastError).toMatch(/more than 5 redirects/);
    expect(byName.busy).toMatchObject({ lastStatus: "FAILED", lastError: expect.stringMatching(/answered HTTP 503/) });
    // Retry-After: 600 is respected, on top of the doubled interval.
    expect(Date.parse(byName.busy.nextPollAt) - Date.parse(byName.busy.lastPolledAt)).toBeGreaterThanOrEqual(2 * 3600 * 1000 - 1000);
    expect(byName.huge.lastError).toMatch(/larger than 2097152 bytes/);
    expect(byName["gzip-bomb"].lastError).toMatch(/larger than 2097152 bytes/);
    expect(byName["not-a-feed"].lastError).toMatch(/not an RSS or Atom feed/);
    // The redirect to localhost was refused before any request reached it.
    expect(publisher.hitCount("/feeds/news.rss")).toBe(publisher.conditional.filter((c) => c.path === "/feeds/news.rss").length);

    // This server's background poller runs too (its first tick falls anywhere in 30 s), and it
    // may poll a feed just added before pollNow does: a feed's failure may count twice, never less.
    const metrics = (await api.request({ path: "/metrics", method: "GET" })).text;
    const failures = (reason: string) =>
      Number(new RegExp(`newsgate_feed_failures_total\\{reason="${reason}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect(failures("refused")).toBeGreaterThanOrEqual(3);
    expect(failures("timeout")).toBeGreaterThanOrEqual(1);
    expect(failures("too_large")).toBeGreaterThanOrEqual(2);
    for (const url of failing)
      await api.gql(REMOVE, {
        key: editor,
        variables: { id: (await api.gql(FEEDS, {})).body.data.feeds.edges.find((e: any) => e.node.url === url).node.id },
      });
  });

  it("leaves an item a publisher rate-limits for the next poll, and does not let a 304 hide it", async () => {
    const url = `${publisher.origin}/feeds/news.rss`;
    publisher.setItems([...publisher.items, { article: "real-05" }]);
    publisher.busyPages.add("real-05");
    const [limited] = await poll(url);
    expect(limited).toMatchObject({ status: FeedStatus.PARTIAL, failed: 1, error: expect.stringMatching(/real-05: .*HTTP 429/) });
    const feed = await feedRow(url);
    expect([feed.etag, feed.nextPollAt.getTime() - feed.lastPolledAt!.getTime() >= 900_000]).toEqual([null, true]);
    publisher.busyPages.clear();
    const [retried] = await poll(url);
    expect(retried).toMatchObject({ status: FeedStatus.OK, created: 1 });
  });

  it("polls on its own once the server has started, announces what it ingests, and stops with it", async () => {
    // The response cache is on: what the poller ingests must drop the cached answers it makes stale.
    const own = await startHttpServer({ config: { feeds: feedSettings({ polling: true, pollIntervalSeconds: 1 }) } });
    try {
      publisher.setItems([{ article: "real-10" }, { article: "real-11" }]);
      const publication = await makePublication(own.dataSource, { slug: "own-news" });
      const key = await own.key("own-desk", "editor");
      const count = async () =>
        (await own.gql(`{ publication(slug: "own-news") { stories(first: 1) { totalCount } } }`)).body.data.publication.stories.totalCount;
      expect([await count(), await count()]).toEqual([0, 0]);
      const url = `${publisher.origin}/feeds/news.rss`;
      const added = await own.gql(ADD, { key, variables: { input: { publication: publication.slug, url } } });
      expect(added.body.errors).toBeUndefined();
      let feed: any = null;
      for (let i = 0; i < 50 && !(feed?.itemsIngested > 0); i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        feed = (await own.gql(FEEDS, {})).body.data.feeds.edges[0].node;
      }
      // Polled again since (each second here), the feed unchanged: a 304 then.
      expect(feed).toMatchObject({ lastStatus: expect.stringMatching(/^(OK|NOT_MODIFIED)$/), lastError: null, itemsIngested: 2 });
      expect(await own.dataSource.getRepository(Story).count()).toBe(2);
      expect(await count()).toBe(2);
    } finally {
      await own.close();
    }
  });
});

(haveSharedArticles ? describe : describe.skip)(`two pollers on one ${onPostgres ? "PostgreSQL" : "SQLite"} database`, () => {
  it("poll a feed one at a time: each item ingested once, and a dead poller's lease is taken over once it expires", async () => {
    const publisher = await new FeedServer().start();
    publisher.format = PAGE_FORMAT;
    const database = await createTempDatabase();
    // On PostgreSQL each poller has its own connection pool, as replicas do. better-sqlite3 is
    // synchronous: a second connection in this process would block the event loop waiting for
    // the first one's lock, so on SQLite the two pollers share the DataSource (replicas on
    // SQLite are separate processes, where SQLite's own locking serialises the claims).
    const other = onPostgres ? await openDatabase(database.settings) : database.dataSource;
    try {
      const poller = (dataSource: typeof other) =>
        new FeedPoller({
          dataSource,
          settings: feedSettings(),
          publisher: { publish: () => undefined },
          metrics: new FeedMetrics(new Registry()),
          logger: createLogger("silent"),
        });
      const [a, b] = [poller(database.dataSource), poller(other)];
      const publication = await makePublication(database.dataSource);
      publisher.setItems(["real-06", "real-07", "real-08"].map((article) => ({ article })));
      const feeds = database.dataSource.getRepository(Feed);
      const feed = await feeds.save(
        feeds.create({
          publicationId: publication.id,
          url: `${publisher.origin}/feeds/news.rss`,
          nextPollAt: new Date(),
          createdAt: new Date(),
        }),
      );

      const reports = (await Promise.all([a.pollDue(), b.pollDue(), a.pollDue(), b.pollDue()])).flat();
      const polled = reports.filter((r) => r.status !== null);
      expect(polled).toHaveLength(1);
      expect(polled[0]).toMatchObject({ status: FeedStatus.OK, created: 3 });
      expect(["real-06", "real-07", "real-08"].map((id) => publisher.hitCount(`/pages/${id}`))).toEqual([1, 1, 1]);
      expect(await database.dataSource.getRepository(Story).count()).toBe(3);
      // Polled just now: not due again for an interval.
      expect([...(await a.pollDue()), ...(await b.pollDue())]).toEqual([]);

      // A replica died holding the lease: nobody polls the feed until the lease expires.
      publisher.setItems([...publisher.items, { article: "real-09" }]);
      await feeds.update(
        { id: feed.id },
        { nextPollAt: new Date(Date.now() - 1000), leaseOwner: "dead", leaseExpiresAt: new Date(Date.now() + 60_000) },
      );
      expect([...(await a.pollDue()), ...(await b.pollDue())]).toEqual([]);
      await feeds.update({ id: feed.id }, { leaseExpiresAt: new Date(Date.now() - 1000) });
      const [taken] = await b.pollDue();
      expect(taken).toMatchObject({ status: FeedStatus.OK, created: 1, skipped: 3 });
      expect(await feeds.findOneByOrFail({ id: feed.id })).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, itemsIngested: 4 });
      expect(await database.dataSource.getRepository(Story).count()).toBe(4);
    } finally {
      if (other !== database.dataSource) await other.destroy();
      await database.cleanup();
      await publisher.close();
    }
  });
});
