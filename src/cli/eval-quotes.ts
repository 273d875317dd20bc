import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { nameKey } from "../ingestion/names";
import { parseArticle } from "../ingestion/parse-article";
import { type KnownSpeaker, matchSpeaker } from "../ingestion/speaker-match";
import { type ParsedStory } from "../ingestion/types";
import { fromRoot } from "../paths";
import { evaluateHtml, formatHtmlEvaluation } from "./eval-html";

/**
 * Scores the parser against labelled articles: `npm run eval:quotes [-- DIR] [--json]`.
 *
 * Two sets side by side: the own labelled set (test/fixtures/articles) and the shared set of
 * published articles (../shared/articles/real, read at run time and never copied here). Both
 * are scored by the shared scorer (`score.mjs`): the parser's output is written as
 * NAME.pred.json files to a temporary folder, the own set's gold is converted to the scorer's
 * format, and the scorer's own figures are reported, so the numbers here are the numbers
 * anyone else gets. The real set is also split into the half the rules were developed on
 * (real-01 … real-10) and the held-out half (real-11 … real-16).
 */
export const OWN_SET = fromRoot("test", "fixtures", "articles");
export const SHARED_ARTICLES = fromRoot("..", "shared", "articles");
const DEV_IDS = /^real-(0\d|10)$/;

interface OwnGold {
  publication?: string;
  bullets: string[];
  quotes: Array<{ bullet: number; text: string; speaker: string | null }>;
  speakers: Array<{ id: string; name: string; kind: "person" | "organisation"; role: string | null; mentions?: string[] }>;
}

/** The scorer's gold and prediction shape (see ../shared/articles/README.md). */
interface ScorerArticle {
  publication?: string | null;
  section?: string | null;
  byline?: string | null;
  headline?: string;
  image?: { caption: string | null; credit: string | null } | null;
  bullets: string[];
  quotes: Array<{ bullet: number; text: string; speaker: string | null; confidence?: number }>;
  speakers: Array<{ name: string; role: string | null; aliases: string[]; accept?: string[] }>;
}

/** The figures the scorer reports for one article or a set. */
export interface Figures {
  gold: number;
  pred: number;
  quote_f1: number;
  attribution_acc: number;
  cluster_f1: number;
  speaker_recall: number;
  role_acc: number;
  scare_fp: number;
}

export interface Band {
  label: string;
  quotes: number;
  right: number;
}

export interface SetResult {
  name: string;
  articles: Array<{ id: string; figures: Figures }>;
  overall: Figures;
  bands: Band[];
  /** Wrong attributions (matched quotes) and how many of them sit below 0.6. */
  wrong: number;
  wrongBelow06: number;
}

export function predictionOf(parsed: ParsedStory): ScorerArticle {
  return {
    publication: parsed.publication?.name ?? null,
    section: parsed.section,
    byline: parsed.byline,
    headline: parsed.headline,
    image: parsed.image,
    bullets: parsed.bullets,
    quotes: parsed.quotes.map((q) => ({
      bullet: q.bullet,
      text: q.text,
      speaker: q.speaker === null ? null : parsed.speakers[q.speaker].name,
      confidence: q.confidence,
    })),
    speakers: parsed.speakers.map((s) => ({ name: s.name, role: s.role, aliases: s.mentions })),
  };
}

function ownGoldToScorer(gold: OwnGold): ScorerArticle {
  const byId = new Map(gold.speakers.map((s) => [s.id, s]));
  return {
    ...(gold as unknown as ScorerArticle),
    quotes: gold.quotes.map((q) => ({ bullet: q.bullet, text: q.text, speaker: q.speaker === null ? null : byId.get(q.speaker)!.name })),
    speakers: gold.speakers.map((s) => ({ name: s.name, role: s.role, aliases: s.mentions ?? [] })),
  };
}

/**
 * Parses every NAME.txt in `dir` and scores it with the shared scorer. `ownFormat` converts
 * the own set's gold (speaker ids) to the scorer's (speaker names) first.
 */
export function scoreSet(name: string, dir: string, scorer: string, options: { ownFormat?: boolean; only?: RegExp } = {}): SetResult {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "eval-quotes-"));
  try {
    const predDir = path.join(work, "pred");
    const goldDir = path.join(work, "gold");
    fs.mkdirSync(predDir);
    fs.mkdirSync(goldDir);
    const ids = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".gold.json"))
      .map((f) => f.replace(/\.gold\.json$/, ""))
      .filter((id) => !options.only || options.only.test(id))
      .sort();
    const pairs: Array<{ gold: ScorerArticle; pred: ScorerArticle }> = [];
    for (const id of ids) {
      const raw = JSON.parse(fs.readFileSync(path.join(dir, `${id}.gold.json`), "utf8")) as OwnGold | ScorerArticle;
      const gold = options.ownFormat ? ownGoldToScorer(raw as OwnGold) : (raw as ScorerArticle);
      const pred = predictionOf(parseArticle(fs.readFileSync(path.join(dir, `${id}.txt`), "utf8")));
      fs.writeFileSync(path.join(goldDir, `${id}.gold.json`), JSON.stringify(gold));
      fs.writeFileSync(path.join(predDir, `${id}.pred.json`), JSON.stringify(pred));
      pairs.push({ gold, pred });
    }
    const out = path.join(work, "scores.json");
    execFileSync(process.execPath, [scorer, predDir, "--gold", goldDir, "--json", out], { stdio: ["ignore", "ignore", "inherit"] });
    const scores = JSON.parse(fs.readFileSync(out, "utf8")) as { overall: Figures; articles: Record<string, Figures> };
    return { name, articles: ids.map((id) => ({ id, figures: scores.articles[id] })), overall: scores.overall, ...confidenceBands(pairs) };
  } finally {
    // EVAL_QUOTES_KEEP=1 keeps the predictions for `score.mjs <dir>/pred --gold <dir>/gold --verbose`.
    if (process.env.EVAL_QUOTES_KEEP) process.stderr.write(`kept ${name}: ${work}\n`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

const BANDS: Array<{ label: string; below: number }> = [
  { label: "<0.6", below: 0.6 },
  { label: "0.6–0.9", below: 0.9 },
  { label: "≥0.9", below: Infinity },
];

/** The scorer's text and name normalisation, enough to pair quotes and compare speakers. */
function normText(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/^[\s"'.,;:!?-]+|[\s"'.,;:!?-]+$/g, "");
}
function normName(s: string | null): string {
  if (!s || /^(unknown|none)$/i.test(s)) return "";
  return nameKey(s.replace(/^the\s+/i, "").replace(/[’']s\b/g, ""));
}

/**
 * Accuracy per confidence band over quotes paired with a gold quote by normalised text. A
 * speaker is right when it is the gold name or one of its `accept` spellings, or ends with
 * it (a title before the name), as the scorer counts it.
 */
function confidenceBands(pairs: Array<{ gold: ScorerArticle; pred: ScorerArticle }>) {
  const bands: Band[] = BANDS.map((b) => ({ label: b.label, quotes: 0, right: 0 }));
  let wrong = 0;
  let wrongBelow06 = 0;
  for (const { gold, pred } of pairs) {
    const used = new Set<number>();
    for (const g of gold.quotes) {
      const n = normText(g.text);
      let k = pred.quotes.findIndex((p, i) => !used.has(i) && p.bullet === g.bullet && normText(p.text) === n);
      if (k < 0) k = pred.quotes.findIndex((p, i) => !used.has(i) && normText(p.text) === n);
      if (k < 0) continue;
      used.add(k);
      const p = pred.quotes[k];
      const speaker = gold.speakers.find((s) => s.name === g.speaker);
      const names = g.speaker === null ? [""] : [g.speaker, ...(speaker?.accept ?? [])].map(normName);
      const predicted = normName(p.speaker);
      const right = names.some((name) => predicted === name || (name !== "" && predicted.endsWith(` ${name}`)));
      const confidence = p.confidence ?? 0;
      const band = bands[BANDS.findIndex((b) => confidence < b.below)];
      band.quotes++;
      if (right) band.right++;
      else {
        wrong++;
        if (confidence < 0.6) wrongBelow06++;
      }
    }
  }
  return { bands, wrong, wrongBelow06 };
}

/** The own set's figures without the shared scorer: quotes on (bullet, exact text), clustering across articles. */
export function evaluate(dir: string) {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  if (files.length === 0) throw new Error(`no .txt articles in ${dir}`);
  const known: KnownSpeaker[] = [];
  let gold = 0;
  let found = 0;
  let matched = 0;
  let attributed = 0;
  let bulletsExact = 0;
  const pairs: Array<{ gold: string; predicted: number }> = [];
  for (const file of files) {
    const labels = JSON.parse(fs.readFileSync(path.join(dir, file.replace(/\.txt$/, ".gold.json")), "utf8")) as OwnGold;
    const parsed = parseArticle(fs.readFileSync(path.join(dir, file), "utf8"));
    const globalIds = parsed.speakers.map((speaker) => {
      const match = matchSpeaker(speaker, known);
      if (match) return match.id;
      known.push({ id: known.length + 1, name: speaker.name, kind: speaker.kind, aliases: [] });
      return known.length;
    });
    const goldName = new Map(labels.speakers.map((s) => [s.id, s]));
    const unmatched = [...parsed.quotes];
    for (const q of labels.quotes) {
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
    }
    gold += labels.quotes.length;
    found += parsed.quotes.length;
    if (JSON.stringify(parsed.bullets) === JSON.stringify(labels.bullets)) bulletsExact++;
  }
  const precision = found ? matched / found : 0;
  const recall = gold ? matched / gold : 0;
  return {
    articles: files.length,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    attributionAccuracy: matched ? attributed / matched : 0,
    clustering: bcubed(pairs),
    bulletsExact: bulletsExact / files.length,
  };
}

/** B-cubed F1: for each quote, how well its predicted cluster matches its gold cluster. */
function bcubed(items: Array<{ gold: string; predicted: number }>): number {
  if (items.length === 0) return 1;
  const byPredicted = new Map<number, typeof items>();
  const byGold = new Map<string, typeof items>();
  for (const item of items) {
    byPredicted.set(item.predicted, [...(byPredicted.get(item.predicted) ?? []), item]);
    byGold.set(item.gold, [...(byGold.get(item.gold) ?? []), item]);
  }
  let p = 0;
  let r = 0;
  for (const item of items) {
    const samePredicted = byPredicted.get(item.predicted)!;
    const sameGold = byGold.get(item.gold)!;
    p += samePredicted.filter((o) => o.gold === item.gold).length / samePredicted.length;
    r += sameGold.filter((o) => o.predicted === item.predicted).length / sameGold.length;
  }
  p /= items.length;
  r /= items.length;
  return (2 * p * r) / (p + r);
}

const fx = (x: number) => x.toFixed(3);

function figuresRow(label: string, f: Figures): string {
  return `| ${label} | ${f.gold} | ${f.pred} | ${fx(f.quote_f1)} | ${fx(f.attribution_acc)} | ${fx(f.cluster_f1)} | ${fx(f.speaker_recall)} | ${fx(f.role_acc)} | ${f.scare_fp} |`;
}

const HEADER = [
  "| set / article | gold quotes | predicted | quote F1 | attribution | speaker clustering | speakers found | roles right | non-speech taken |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
];

function bandLines(result: SetResult): string[] {
  const bands = result.bands.map((b) => `${b.label}: ${b.right}/${b.quotes}${b.quotes ? ` = ${fx(b.right / b.quotes)}` : ""}`);
  const share = result.wrong ? fx(result.wrongBelow06 / result.wrong) : "-";
  return [
    `confidence bands, ${result.name}: ${bands.join("  ")}  | wrong attributions below 0.6: ${result.wrongBelow06}/${result.wrong} = ${share}`,
  ];
}

function main(argv: string[]): void {
  const json = argv.includes("--json");
  const custom = argv.find((a) => !a.startsWith("--"));
  const ownDir = custom ?? OWN_SET;
  if (!fs.existsSync(ownDir)) {
    process.stderr.write(`eval:quotes: no such folder ${ownDir}\n`);
    process.exit(1);
  }
  const scorer = path.join(SHARED_ARTICLES, "score.mjs");
  const realDir = path.join(SHARED_ARTICLES, "real");
  if (!fs.existsSync(scorer) || !fs.existsSync(realDir)) {
    // Without the shared scorer the own set is still scored, by the figures this file computes.
    const own = evaluate(ownDir);
    process.stdout.write(
      `eval:quotes: ${SHARED_ARTICLES} is absent: the real set is skipped and the own set is scored without score.mjs\n`,
    );
    process.stdout.write(
      json
        ? `${JSON.stringify(own, null, 2)}\n`
        : `own set: quote F1 ${fx(own.f1)}, attribution ${fx(own.attributionAccuracy)}, clustering across articles ${fx(own.clustering)}, body units exact ${fx(own.bulletsExact)}\n`,
    );
    return;
  }
  const ownFormat = fs.readdirSync(ownDir).some((f) => f.endsWith(".gold.json") && isOwnFormat(path.join(ownDir, f)));
  const sets = [
    scoreSet("own set", ownDir, scorer, { ownFormat }),
    scoreSet("real dev (real-01…10)", realDir, scorer, { only: DEV_IDS }),
    scoreSet("real held out (real-11…16)", realDir, scorer, { only: /^real-1[1-6]$/ }),
    scoreSet("real overall", realDir, scorer),
  ];
  if (json) {
    process.stdout.write(`${JSON.stringify(sets, null, 2)}\n`);
    return;
  }
  const [own, , , real] = sets;
  const lines = [
    ...HEADER,
    ...own.articles.map((a) => figuresRow(`own ${a.id}`, a.figures)),
    ...real.articles.map((a) => figuresRow(a.id, a.figures)),
    "",
    ...HEADER,
    ...sets.map((s) => figuresRow(`**${s.name}**`, s.overall)),
    "",
    ...sets.flatMap(bandLines),
    "",
  ];
  process.stdout.write(lines.join("\n"));
  process.stdout.write(`\n${formatHtmlEvaluation(evaluateHtml())}`);
}

function isOwnFormat(file: string): boolean {
  const gold = JSON.parse(fs.readFileSync(file, "utf8")) as OwnGold;
  return gold.speakers.some((s) => "id" in s);
}

if (require.main === module) main(process.argv.slice(2));
