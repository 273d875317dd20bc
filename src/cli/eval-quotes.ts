import fs from "node:fs";
import path from "node:path";

import { nameKey } from "../ingestion/names";
import { evaluateHtml, formatHtmlEvaluation } from "./eval-html";
import { parseArticle } from "../ingestion/parse-article";
import { type KnownSpeaker, matchSpeaker } from "../ingestion/speaker-match";
import { fromRoot } from "../paths";

/**
 * Scores the parser against labelled articles: `npm run eval:quotes [-- DIR] [--json]`.
 * Quotes match on (bullet, exact text). Attribution counts "no speaker" as an answer.
 * Clustering is B-cubed F1 over quotes, with speakers resolved across articles the way
 * ingestion resolves them against the database.
 */
interface Gold {
  bullets: string[];
  quotes: Array<{ bullet: number; text: string; speaker: string | null }>;
  speakers: Array<{ id: string; name: string; kind: "person" | "organisation"; role: string | null }>;
}

export interface ArticleScore {
  article: string;
  gold: number;
  found: number;
  matched: number;
  attributed: number;
  bulletsExact: boolean;
}

export function evaluate(dir: string) {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  if (files.length === 0) throw new Error(`no .txt articles in ${dir}`);
  const known: KnownSpeaker[] = [];
  const scores: ArticleScore[] = [];
  const pairs: Array<{ gold: string; predicted: number }> = [];
  for (const file of files) {
    const gold = JSON.parse(fs.readFileSync(path.join(dir, file.replace(/\.txt$/, ".gold.json")), "utf8")) as Gold;
    const parsed = parseArticle(fs.readFileSync(path.join(dir, file), "utf8"));
    const globalIds = parsed.speakers.map((speaker) => {
      const match = matchSpeaker(speaker, known);
      if (match) return match.id;
      known.push({ id: known.length + 1, name: speaker.name, kind: speaker.kind, aliases: [] });
      return known.length;
    });
    const goldName = new Map(gold.speakers.map((s) => [s.id, s]));
    let matched = 0;
    let attributed = 0;
    const unmatched = [...parsed.quotes];
    for (const q of gold.quotes) {
      const index = unmatched.findIndex((p) => p.bullet === q.bullet && p.text === q.text);
      if (index < 0) continue;
      const [p] = unmatched.splice(index, 1);
      matched++;
      const predicted = p.speaker === null ? null : parsed.speakers[p.speaker];
      const expected = q.speaker === null ? null : goldName.get(q.speaker)!;
      const same =
        predicted === null || expected === null
          ? predicted === expected
          : nameKey(predicted.name) === nameKey(expected.name) ||
            (predicted.name.split(" ").length === 1 && nameKey(expected.name).endsWith(nameKey(predicted.name)));
      if (same) attributed++;
      if (q.speaker !== null && p.speaker !== null) pairs.push({ gold: q.speaker, predicted: globalIds[p.speaker] });
      if (process.env.EVAL_VERBOSE && !same)
        process.stdout.write(
          `  ${file} b${q.bullet} "${q.text.slice(0, 50)}": got ${predicted?.name ?? "none"} (${p.rule}), want ${expected?.name ?? "none"}\n`,
        );
    }
    if (process.env.EVAL_VERBOSE) {
      for (const p of unmatched) process.stdout.write(`  ${file} b${p.bullet} extra: "${p.text.slice(0, 60)}"\n`);
      for (const q of gold.quotes)
        if (!parsed.quotes.some((p) => p.bullet === q.bullet && p.text === q.text))
          process.stdout.write(`  ${file} b${q.bullet} missed: "${q.text.slice(0, 60)}"\n`);
    }
    scores.push({
      article: file.replace(/\.txt$/, ""),
      gold: gold.quotes.length,
      found: parsed.quotes.length,
      matched,
      attributed,
      bulletsExact: JSON.stringify(parsed.bullets) === JSON.stringify(gold.bullets),
    });
  }
  const total = scores.reduce(
    (a, s) => ({
      gold: a.gold + s.gold,
      found: a.found + s.found,
      matched: a.matched + s.matched,
      attributed: a.attributed + s.attributed,
    }),
    {
      gold: 0,
      found: 0,
      matched: 0,
      attributed: 0,
    },
  );
  const precision = total.found ? total.matched / total.found : 0;
  const recall = total.gold ? total.matched / total.gold : 0;
  return {
    articles: scores,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    attributionAccuracy: total.matched ? total.attributed / total.matched : 0,
    clustering: bcubed(pairs),
    bulletsExact: scores.filter((s) => s.bulletsExact).length / scores.length,
  };
}

/** B-cubed F1: for each quote, how well its predicted cluster matches its gold cluster. */
function bcubed(items: Array<{ gold: string; predicted: number }>): number {
  if (items.length === 0) return 1;
  let p = 0;
  let r = 0;
  for (const item of items) {
    const samePredicted = items.filter((o) => o.predicted === item.predicted);
    const sameGold = items.filter((o) => o.gold === item.gold);
    p += samePredicted.filter((o) => o.gold === item.gold).length / samePredicted.length;
    r += sameGold.filter((o) => o.predicted === item.predicted).length / sameGold.length;
  }
  p /= items.length;
  r /= items.length;
  return (2 * p * r) / (p + r);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function main(argv: string[]): void {
  const json = argv.includes("--json");
  const dir = argv.find((a) => !a.startsWith("--")) ?? fromRoot("test", "fixtures", "articles");
  if (!fs.existsSync(dir)) {
    process.stderr.write(`eval:quotes: no such folder ${dir}\n`);
    process.exit(1);
  }
  const result = evaluate(dir);
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const rows = result.articles.map((s) => {
    const p = s.found ? s.matched / s.found : 0;
    const r = s.gold ? s.matched / s.gold : 0;
    return `| ${s.article} | ${s.gold} | ${s.found} | ${pct(p)} | ${pct(r)} | ${s.matched ? pct(s.attributed / s.matched) : "-"} | ${s.bulletsExact ? "yes" : "no"} |`;
  });
  process.stdout.write(
    [
      "| article | gold quotes | found | precision | recall | attribution | body units exact |",
      "|---|---|---|---|---|---|---|",
      ...rows,
      "",
      `quotes: precision ${pct(result.precision)}, recall ${pct(result.recall)}, F1 ${pct(result.f1)}`,
      `attribution accuracy (right speaker among found quotes, "no speaker" counted): ${pct(result.attributionAccuracy)}`,
      `speaker clustering (B-cubed F1 across articles): ${pct(result.clustering)}`,
      `body units exact: ${pct(result.bulletsExact)}`,
      "",
    ].join("\n"),
  );
  // The publishers' HTML pages of the labelled articles (issue 12), when ../shared is there.
  process.stdout.write(`\n${formatHtmlEvaluation(evaluateHtml())}`);
}

if (require.main === module) main(process.argv.slice(2));
