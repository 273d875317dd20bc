import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { parseHtmlArticle } from "../ingestion/parse-html";
import { parseArticle } from "../ingestion/parse-article";
import { type ParsedStory } from "../ingestion/types";
import { fromRoot } from "../paths";

/**
 * HTML pages against their labelled text pages: `../shared/articles/html/real-NN.html` vs
 * `real/real-NN.gold.json`. Page fields must match exactly; body paragraphs are matched to the
 * labelled units in order (the labelled pages leave some paragraphs out, so extra paragraphs
 * are counted, not penalised); quotes are scored by the shared scorer (`score.mjs`) for the
 * text pages and the HTML pages alike, on prediction files written to a temporary folder.
 * Quotes in paragraphs the labelled page left out have no labels: they are counted and left
 * out of the HTML predictions, and each scored quote carries the labelled unit's index.
 */
export const DEFAULT_ARTICLES_DIR = fromRoot("..", "shared", "articles");

interface Gold {
  source: string;
  publication: string;
  section: string;
  byline: string;
  headline: string;
  bullets: string[];
  image?: { caption: string | null; credit: string | null };
}

export interface HtmlArticleRow {
  article: string;
  headline: boolean;
  byline: boolean;
  publication: boolean;
  section: boolean;
  caption: boolean;
  credit: boolean;
  units: number;
  unitsFound: number;
  extraParagraphs: number;
  unlabelledQuotes: number;
}

export interface ScorerFigures {
  quoteF1: number;
  attributionAcc: number;
  line: string;
}

export interface HtmlEvaluation {
  articles: HtmlArticleRow[];
  headline: number;
  byline: number;
  publication: number;
  section: number;
  caption: number;
  credit: number;
  units: number;
  unitsFound: number;
  extraParagraphs: number;
  unlabelledQuotes: number;
  text: ScorerFigures;
  html: ScorerFigures;
}

/** Null when the shared articles are not there (a checkout without `../shared`). */
export function evaluateHtml(articlesDir: string = DEFAULT_ARTICLES_DIR): HtmlEvaluation | null {
  const htmlDir = path.join(articlesDir, "html");
  const goldDir = path.join(articlesDir, "real");
  const scorer = path.join(articlesDir, "score.mjs");
  if (![htmlDir, goldDir, scorer].every((p) => fs.existsSync(p))) return null;
  const ids = fs
    .readdirSync(htmlDir)
    .filter((f) => /^real-\d+\.html$/.test(f) && fs.existsSync(path.join(goldDir, f.replace(/\.html$/, ".gold.json"))))
    .map((f) => f.replace(/\.html$/, ""))
    .sort();
  if (ids.length === 0) return null;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-eval-html-"));
  const textPred = path.join(tmp, "text");
  const htmlPred = path.join(tmp, "html");
  const goldOnly = path.join(tmp, "gold");
  for (const dir of [textPred, htmlPred, goldOnly]) fs.mkdirSync(dir);
  try {
    const articles: HtmlArticleRow[] = [];
    for (const id of ids) {
      const goldFile = path.join(goldDir, `${id}.gold.json`);
      fs.copyFileSync(goldFile, path.join(goldOnly, `${id}.gold.json`));
      const gold = JSON.parse(fs.readFileSync(goldFile, "utf8")) as Gold;
      const textFile = path.join(goldDir, `${id}.txt`);
      if (fs.existsSync(textFile)) writePred(path.join(textPred, `${id}.pred.json`), parseArticle(fs.readFileSync(textFile, "utf8")), null);

      const url = /https?:\/\/\S+/.exec(gold.source)?.[0] ?? null;
      const { parsed } = parseHtmlArticle(fs.readFileSync(path.join(htmlDir, `${id}.html`), "utf8"), url);
      // Labelled unit i → paragraph index, matched in order.
      const unitOf = new Map<number, number>();
      let next = 0;
      gold.bullets.forEach((unit, i) => {
        const k = parsed.bullets.indexOf(unit.replace(/\s+/g, " ").trim(), next);
        if (k >= 0) {
          unitOf.set(k, i);
          next = k + 1;
        }
      });
      const unlabelledQuotes = parsed.quotes.filter((q) => !unitOf.has(q.bullet)).length;
      writePred(path.join(htmlPred, `${id}.pred.json`), parsed, unitOf, gold.bullets.length);
      articles.push({
        article: id,
        headline: parsed.headline === gold.headline,
        byline: parsed.byline === gold.byline,
        publication: parsed.publication?.name === gold.publication,
        section: parsed.section === gold.section,
        caption: (parsed.image?.caption ?? null) === (gold.image?.caption ?? null),
        credit: (parsed.image?.credit ?? null) === (gold.image?.credit ?? null),
        units: gold.bullets.length,
        unitsFound: unitOf.size,
        extraParagraphs: parsed.bullets.length - unitOf.size,
        unlabelledQuotes,
      });
    }
    const sum = (key: keyof HtmlArticleRow) => articles.reduce((total, row) => total + Number(row[key]), 0);
    return {
      articles,
      headline: sum("headline"),
      byline: sum("byline"),
      publication: sum("publication"),
      section: sum("section"),
      caption: sum("caption"),
      credit: sum("credit"),
      units: sum("units"),
      unitsFound: sum("unitsFound"),
      extraParagraphs: sum("extraParagraphs"),
      unlabelledQuotes: sum("unlabelledQuotes"),
      text: score(scorer, textPred, goldOnly),
      html: score(scorer, htmlPred, goldOnly),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A prediction in the scorer's format; with `unitOf`, only quotes in labelled units, at the unit's index. */
function writePred(file: string, parsed: ParsedStory, unitOf: Map<number, number> | null, units = 0): void {
  const bullets = unitOf ? Array.from({ length: units }, () => "") : parsed.bullets;
  if (unitOf) for (const [k, i] of unitOf) bullets[i] = parsed.bullets[k];
  const quotes = parsed.quotes
    .filter((q) => !unitOf || unitOf.has(q.bullet))
    .map((q) => ({
      bullet: unitOf ? unitOf.get(q.bullet)! : q.bullet,
      text: q.text,
      speaker: q.speaker === null ? null : parsed.speakers[q.speaker].name,
    }));
  const pred = {
    publication: parsed.publication?.name ?? null,
    section: parsed.section,
    byline: parsed.byline,
    headline: parsed.headline,
    image: parsed.image,
    bullets,
    quotes,
    speakers: parsed.speakers.map((s) => ({ name: s.name, role: s.role, aliases: s.mentions })),
  };
  fs.writeFileSync(file, JSON.stringify(pred));
}

function score(scorer: string, predDir: string, goldDir: string): ScorerFigures {
  const out = execFileSync(process.execPath, [scorer, predDir, "--gold", goldDir], { encoding: "utf8" });
  const line = out.trim().split("\n").pop() ?? "";
  const match = /quote_f1=([\d.]+) attribution_acc=([\d.]+)/.exec(line);
  if (!match) throw new Error(`the scorer printed no figures: ${line}`);
  return { quoteF1: Number(match[1]), attributionAcc: Number(match[2]), line };
}

const yes = (ok: boolean) => (ok ? "yes" : "no");

/** The table `npm run eval:quotes` prints for the HTML pages. */
export function formatHtmlEvaluation(result: HtmlEvaluation | null, articlesDir: string = DEFAULT_ARTICLES_DIR): string {
  if (!result) return `HTML pages: skipped (no html/, real/ or score.mjs under ${articlesDir})\n`;
  const n = result.articles.length;
  const rows = result.articles.map(
    (r) =>
      `| ${r.article} | ${yes(r.headline)} | ${yes(r.byline)} | ${yes(r.publication)} | ${yes(r.section)} | ${r.unitsFound}/${r.units} | ${r.extraParagraphs} | ${r.unlabelledQuotes} |`,
  );
  return [
    "HTML article pages (html/real-NN.html) against the labelled pages:",
    "| article | headline | byline | publication | section | labelled units found in order | extra paragraphs | quotes in extra paragraphs |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `page fields: headline ${result.headline}/${n}, byline ${result.byline}/${n}, publication ${result.publication}/${n}` +
      ` (also section ${result.section}/${n}, caption ${result.caption}/${n}, credit ${result.credit}/${n})`,
    `body: labelled units found in order ${result.unitsFound}/${result.units} (${(result.unitsFound / result.units).toFixed(3)}), extra paragraphs ${result.extraParagraphs} (quotes in them, unlabelled and not scored: ${result.unlabelledQuotes})`,
    `quotes, text pages: quote_f1=${result.text.quoteF1.toFixed(3)} attribution_acc=${result.text.attributionAcc.toFixed(3)}`,
    `quotes, HTML pages: quote_f1=${result.html.quoteF1.toFixed(3)} attribution_acc=${result.html.attributionAcc.toFixed(3)}`,
    "",
  ].join("\n");
}

if (require.main === module)
  process.stdout.write(formatHtmlEvaluation(evaluateHtml(process.argv[2] ?? DEFAULT_ARTICLES_DIR), process.argv[2]));
