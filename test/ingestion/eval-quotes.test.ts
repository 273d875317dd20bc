import fs from "node:fs";

import { evaluate, SHARED_ARTICLES } from "../../src/cli/eval-quotes";
import { runCli } from "../helpers/cli";
import { FIXTURES } from "../helpers/fixtures";

/**
 * A floor under parser quality on the labelled set, so a change that breaks a case shows
 * here. The figures themselves come from `npm run eval:quotes`.
 */
describe("quote attribution on the labelled articles", () => {
  const result = evaluate(FIXTURES);
  const hasSharedSet = fs.existsSync(SHARED_ARTICLES);

  it("covers at least 12 articles", () => {
    expect(result.articles).toBeGreaterThanOrEqual(12);
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
    if (hasSharedSet) {
      expect(stdout).toMatch(/^\| own 01-veldoria-ceasefire-summit \| 8 \| \d+ \| \d\.\d{3} \|/m);
      expect(stdout).toMatch(/^\| \*\*own set\*\* \| 90 \| \d+ \| (\d\.\d{3} \| ){5}\d+ \|$/m);
      expect(stdout).toMatch(/^confidence bands, own set: <0\.6: \d+\/\d+/m);
      expect(stdout).toMatch(/^\| real-01 \| 11 \| \d+ \|/m);
      expect(stdout).toMatch(/^\| \*\*real held out \(real-11…16\)\*\* \| 71 \|/m);
      expect(stdout).toMatch(/wrong attributions below 0\.6: \d+\/\d+/);
    } else {
      expect(stdout).toMatch(/the real set is skipped/);
      expect(stdout).toMatch(/^own set: quote F1 \d\.\d{3}, attribution \d\.\d{3}/m);
    }
  });

  it("names a missing folder in one line", async () => {
    const { code, stderr } = await runCli("src/cli/eval-quotes.ts", ["/nonexistent/articles"]);
    expect([code, stderr]).toEqual([1, "eval:quotes: no such folder /nonexistent/articles\n"]);
  });
});
