import { monitorEventLoopDelay } from "node:perf_hooks";

import { ARTICLE_LIMITS } from "../../src/ingestion/limits";
import { manyQuotesPage, manySpeakersPage, oneBulletPage, shortPairsPage } from "../helpers/big-pages";
import { type HttpServer, startHttpServer } from "../helpers/http-server";

/**
 * The longest the event loop may stall during one ingest. The target is 100 ms; the bound is
 * generous because this test runs beside others on a shared machine, where a major GC of
 * jest's heap or the scheduler alone can take that long. Before the parser moved to a worker
 * thread, these pages stalled it for 4 to 28 seconds.
 */
const STALL_BOUND_MS = 200;

const INGEST = `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { created quotes bullets } }`;
/** A page of about 1 MB of UTF-8 (curly quotes take 3 bytes), within the HTTP body limit. */
function oneMegabyte(page: (chars: number) => string): string {
  let chars = 1_000_000;
  let text = page(chars);
  while (Buffer.byteLength(text) > 1_030_000) text = page((chars = Math.floor(chars * 0.97)));
  return text;
}

/**
 * Big pages are parsed on a worker thread within stated limits: the server's event loop (the
 * test server runs in this process, so it is measured here) is never blocked for long, a page
 * beyond the limits is refused with BAD_USER_INPUT, and an accepted one costs a bounded number
 * of SQL statements.
 */
describe("ingesting big pages", () => {
  let api: HttpServer;
  let editor: string;
  beforeAll(async () => {
    api = await startHttpServer({ config: { ingestParseTimeoutMs: 6_000 } });
    editor = await api.key("desk", "editor");
    // A server that has been running: its parser thread is up and the ingest path compiled.
    await api.gql(INGEST, { variables: { input: { text: manyQuotesPage(20, 2, "Warm-up") } }, key: editor });
  });
  afterAll(() => api.close());

  const storyCount = async () => Number((await api.dataSource.query(`SELECT COUNT(*) AS n FROM stories`))[0].n);

  /** Runs `work` while sampling the event loop; returns the longest stall in ms. */
  async function worstStall(work: () => Promise<void>): Promise<number> {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    try {
      await work();
    } finally {
      histogram.disable();
    }
    return histogram.max / 1e6;
  }

  it.each([
    ["many attributed quotes in one bullet", () => oneMegabyte(oneBulletPage)],
    ["many new speakers", () => oneMegabyte(manySpeakersPage)],
  ])("refuses a 1 MB page of %s with BAD_USER_INPUT, stores nothing, and keeps the event loop free", async (_shape, page) => {
    const text = page();
    expect(Buffer.byteLength(text)).toBeGreaterThan(950_000);
    const before = await storyCount();
    let response!: Awaited<ReturnType<HttpServer["gql"]>>;
    const stall = await worstStall(async () => {
      response = await api.gql(INGEST, { variables: { input: { text } }, key: editor });
    });
    expect(response.status).toBe(200);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Cannot ingest the article: the page (has \d+ (quotes|bullets|speakers); an article may have at most \d+|took longer than 6000 ms to parse)/,
        ),
        extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }),
      }),
    ]);
    expect(await storyCount()).toBe(before);
    expect(stall).toBeLessThan(STALL_BOUND_MS);
  });

  it("takes a 1 MB page of many short “ab” pairs (labels, not speech) as one story without blocking", async () => {
    const text = oneMegabyte(shortPairsPage);
    const before = await storyCount();
    let response!: Awaited<ReturnType<HttpServer["gql"]>>;
    const stall = await worstStall(async () => {
      response = await api.gql(INGEST, { variables: { input: { text } }, key: editor });
    });
    // Two-letter spans in quotation marks are labels, not quotes: the page is an ordinary story.
    expect(response.body).toEqual({ data: { ingestArticle: { created: true, quotes: 0, bullets: 1 } } });
    expect(await storyCount()).toBe(before + 1);
    expect(stall).toBeLessThan(STALL_BOUND_MS);
  });

  it(`stores a ${ARTICLE_LIMITS.maxQuotes}-quote page in a bounded number of statements without blocking`, async () => {
    const text = manyQuotesPage(ARTICLE_LIMITS.maxQuotes, 10);
    let response!: Awaited<ReturnType<HttpServer["gql"]>>;
    const stall = await worstStall(async () => {
      response = await api.gql(INGEST, { variables: { input: { text } }, key: editor });
    });
    expect(response.body).toEqual({
      data: { ingestArticle: { created: true, quotes: ARTICLE_LIMITS.maxQuotes, bullets: ARTICLE_LIMITS.maxQuotes / 10 } },
    });
    // Quotes and bullets go in by the chunk: 5,000 quotes take a few dozen statements, not 5,000.
    expect(api.reports.at(-1)!.sqlStatements).toBeLessThan(200);
    expect(stall).toBeLessThan(STALL_BOUND_MS);
  });

  it("refuses one quote over the limit, and a page with a NUL character, storing nothing", async () => {
    const before = await storyCount();
    const over = await api.gql(INGEST, {
      variables: { input: { text: manyQuotesPage(ARTICLE_LIMITS.maxQuotes + 1, 10, "Over") } },
      key: editor,
    });
    expect(over.body.errors[0]).toMatchObject({
      message: `Cannot ingest the article: the page has ${ARTICLE_LIMITS.maxQuotes + 1} quotes; an article may have at most ${ARTICLE_LIMITS.maxQuotes}`,
      extensions: { code: "BAD_USER_INPUT" },
    });
    const nul = await api.gql(INGEST, { variables: { input: { text: manyQuotesPage(3, 1, "Nul\u0000here") } }, key: editor });
    expect(nul.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(await storyCount()).toBe(before);
  });
});
