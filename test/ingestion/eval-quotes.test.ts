import { evaluate } from "../../src/cli/eval-quotes";
import { runCli } from "../helpers/cli";
import { FIXTURES } from "../helpers/fixtures";

/**
 * A floor under parser quality on the labelled set, so a change that breaks a case shows
 * here. The figures themselves come from `npm run eval:quotes`.
 */
describe("quote attribution on the labelled articles", () => {
  const result = evaluate(FIXTURES);

  it("covers at least 12 articles", () => {
    expect(result.articles.length).toBeGreaterThanOrEqual(12);
  });

  it("finds the quotes (F1 ≥ 0.95) and their speakers (≥ 0.9), and clusters speakers across articles (≥ 0.9)", () => {
    expect(result.f1).toBeGreaterThanOrEqual(0.95);
    expect(result.attributionAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.clustering).toBeGreaterThanOrEqual(0.9);
    expect(result.bulletsExact).toBe(1);
  });

  it("prints per-article and overall figures from the CLI", async () => {
    const { code, stdout } = await runCli("src/cli/eval-quotes.ts", []);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\| 01-veldoria-ceasefire-summit \| \d+ \| \d+ \|/m);
    expect(stdout).toMatch(/quotes: precision \d+\.\d%, recall \d+\.\d%, F1 \d+\.\d%/);
    expect(stdout).toMatch(/attribution accuracy .*: \d+\.\d%/);
    expect(stdout).toMatch(/speaker clustering .*: \d+\.\d%/);
  });

  it("names a missing folder in one line", async () => {
    const { code, stderr } = await runCli("src/cli/eval-quotes.ts", ["/nonexistent/articles"]);
    expect([code, stderr]).toEqual([1, "eval:quotes: no such folder /nonexistent/articles\n"]);
  });
});
