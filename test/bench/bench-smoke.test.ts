import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { FRONT_PAGE_SIZES, frontPageKey, OPERATIONS } from "../../src/bench/operations";
import { type BenchmarkResults, runBenchmark } from "../../src/bench/run";

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
      { variant: "naive", requests: expect.any(Number), equal: true },
      { variant: "newsgate", requests: expect.any(Number), equal: true },
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

  it("writes a result row per variant × operation", () => {
    const written = JSON.parse(fs.readFileSync(out, "utf8")) as BenchmarkResults;
    const pairs = written.rows.map((r) => `${r.variant}/${r.operation}`).sort();
    const expected = ["floor", "naive", "newsgate"]
      .flatMap((variant) => OPERATIONS.map((operation) => `${variant}/${operation.key}`))
      .sort();
    expect(pairs).toEqual(expected);
  });
});
