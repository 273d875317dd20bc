import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { FRONT_PAGE_SIZES, frontPageKey, OPERATIONS } from "./operations";
import { DEFAULT_POSTGRES_URL } from "./options";
import { type BenchmarkResults, runBenchmark } from "./run";

/**
 * The benchmark end to end at its smallest: real child servers, real load, real checks.
 * Timings are not asserted (CI machines are noisy); what must hold on any machine is.
 */
describe("npm run bench (small)", () => {
  let out: string;
  let results: BenchmarkResults;

  beforeAll(async () => {
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-")), "results.json");
    results = await runBenchmark({ size: "small", warmupSeconds: 0.3, durationSeconds: 0.5, repeats: 1, out, log: () => {} });
  }, 120_000);

  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  const row = (variant: string, operation: string) => results.rows.find((r) => r.variant === variant && r.operation === operation)!;

  it("checked every variant's answers against the floor's", () => {
    expect(results.verification).toEqual([
      { variant: "naive", requests: expect.any(Number), equal: true, excluded: [] },
      { variant: "newsgate", requests: expect.any(Number), equal: true, excluded: [] },
      { variant: "newsgate-cached", requests: expect.any(Number), equal: true, excluded: [] },
      { variant: "newsgate-cache-miss", requests: expect.any(Number), equal: true, excluded: [] },
    ]);
    expect(results.verification[0].requests).toBeGreaterThanOrEqual(OPERATIONS.length);
  });

  it("keeps Newsgate's story page within 6 SQL statements", () => {
    expect(row("newsgate", "storyPage").sqlMax).toBeLessThanOrEqual(6);
  });

  it("keeps Newsgate's front page within 6 SQL statements, the same at every page size", () => {
    const counts = FRONT_PAGE_SIZES.flatMap((size) => {
      const { sqlMin, sqlMax } = row("newsgate", frontPageKey(size));
      return [sqlMin, sqlMax];
    });
    expect(Math.max(...(counts as number[]))).toBeLessThanOrEqual(6);
    expect(new Set(counts).size).toBe(1);
  });

  it("shows what batching saves: the naive variant needs more statements on the front page", () => {
    for (const size of FRONT_PAGE_SIZES) {
      expect(row("naive", frontPageKey(size)).sqlPerRequest!).toBeGreaterThan(row("newsgate", frontPageKey(size)).sqlPerRequest!);
    }
  });

  it("serves repeated reads from the response cache: the cached variant runs fewer SQL statements", () => {
    expect(row("newsgate-cached", "storyPage").sqlPerRequest!).toBeLessThan(row("newsgate", "storyPage").sqlPerRequest!);
  });

  it("measures the cache's miss path: with unique variables every request executes, as uncached", () => {
    expect(row("newsgate-cache-miss", "storyPage").sqlPerRequest!).toBe(row("newsgate", "storyPage").sqlPerRequest!);
  });

  it("writes a result row per variant × operation", () => {
    const written = JSON.parse(fs.readFileSync(out, "utf8")) as BenchmarkResults;
    const pairs = written.rows.map((r) => `${r.variant}/${r.operation}`).sort();
    const expected = ["floor", "naive", "newsgate", "newsgate-cached", "newsgate-cache-miss"]
      .flatMap((variant) => OPERATIONS.map((operation) => `${variant}/${operation.key}`))
      .sort();
    expect(pairs).toEqual(expected);
  });
});

/**
 * The same run with `--postgres`, on the PostgreSQL variants only: when NEWSGATE_TEST_POSTGRES
 * names a server (CI with PostgreSQL), or one answers on 127.0.0.1:5432. The benchmark
 * creates its own newsgate_bench_… database there and drops it.
 */
const postgres = postgresForBench();
const describeWithPostgres = postgres.url ? describe : describe.skip;
if (!postgres.url) process.stdout.write(`bench smoke: skipping the --postgres run: ${postgres.reason}\n`);

describeWithPostgres("npm run bench (small, --postgres)", () => {
  let out: string;
  let results: BenchmarkResults;

  beforeAll(async () => {
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-pg-")), "results.json");
    results = await runBenchmark({
      size: "small",
      warmupSeconds: 0.3,
      durationSeconds: 0.5,
      repeats: 1,
      postgres: true,
      postgresUrl: postgres.url!,
      variants: ["newsgate-pg", "postgraphile"],
      out,
      log: () => {},
    });
  }, 180_000);

  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  it("copied the corpus with the same rows into PostgreSQL", () => {
    expect(results.postgres!.tables.length).toBeGreaterThan(0);
    for (const table of results.postgres!.tables) expect(table.target).toBe(table.source);
    const stories = results.postgres!.tables.find((table) => table.table === "stories")!;
    expect(stories.target).toBe(results.corpus.stories);
  });

  it("checked every PostgreSQL variant's answers against the SQLite floor's, leaving nothing out", () => {
    expect(results.verification).toEqual(
      ["floor-pg", "newsgate-pg", "postgraphile"].map((variant) => ({ variant, requests: expect.any(Number), equal: true, excluded: [] })),
    );
    for (const { requests } of results.verification) expect(requests).toBeGreaterThanOrEqual(OPERATIONS.length);
  });

  it("writes a PostgreSQL result row per variant × operation, measured against floor-pg", () => {
    const pairs = results.rows.filter((r) => r.engine === "postgres").map((r) => `${r.variant}/${r.operation}`);
    expect(pairs.sort()).toEqual(
      ["floor-pg", "newsgate-pg", "postgraphile"].flatMap((variant) => OPERATIONS.map((operation) => `${variant}/${operation.key}`)).sort(),
    );
    const storyPage = results.rows.find((r) => r.variant === "newsgate-pg" && r.operation === "storyPage")!;
    expect(storyPage.requestsPerSecond).toBeGreaterThan(0);
    expect(storyPage.vsFloor.requestsPerSecond).not.toBeNull();
  });

  it("keeps Newsgate's statement counts on PostgreSQL: story page within 6, front page within 6 and the same at every size", () => {
    const row = (operation: string) => results.rows.find((r) => r.variant === "newsgate-pg" && r.operation === operation)!;
    expect(row("storyPage").sqlMax).toBeLessThanOrEqual(6);
    const counts = FRONT_PAGE_SIZES.flatMap((size) => [row(frontPageKey(size)).sqlMin, row(frontPageKey(size)).sqlMax]);
    expect(Math.max(...(counts as number[]))).toBeLessThanOrEqual(6);
    expect(new Set(counts).size).toBe(1);
  });

  it("states the PostGraphile target for every operation", () => {
    const peer = results.targets.filter((target) => target.name.startsWith("On PostgreSQL, Newsgate req/s vs PostGraphile v4"));
    expect(peer).toHaveLength(OPERATIONS.length);
    expect(results.markdown).toContain("| newsgate-pg | PostgreSQL | story page |");
  });

  it("drops its database", async () => {
    const { Client } = await import("pg");
    const client = new Client({ connectionString: postgres.url! });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [results.postgres!.database]);
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});

/** The server to run on, or why there is none. Synchronous, so that the block can be skipped. */
function postgresForBench(): { url: string | null; reason: string } {
  const configured = process.env.NEWSGATE_TEST_POSTGRES;
  if (configured) return { url: configured, reason: "" };
  const probe = spawnSync(
    process.execPath,
    [
      "-e",
      `const { Client } = require("pg");
       const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
       client.connect().then(() => client.end()).then(() => process.exit(0), (error) => { console.error(error.message || error.code); process.exit(1); });`,
      DEFAULT_POSTGRES_URL,
    ],
    { cwd: path.resolve(__dirname, "../.."), encoding: "utf8", timeout: 5000 },
  );
  if (probe.status === 0) return { url: DEFAULT_POSTGRES_URL, reason: "" };
  const why = probe.stderr?.trim() || (probe.error ? probe.error.message : `exit ${probe.status ?? probe.signal}`);
  return { url: null, reason: `NEWSGATE_TEST_POSTGRES is not set and no PostgreSQL answers at ${DEFAULT_POSTGRES_URL} (${why})` };
}
