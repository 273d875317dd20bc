import { fold } from "./query";

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A window of `text` around the first match, HTML-escaped, with every word that starts
 * with a query term wrapped in <mark>. Matching is on folded text, so "Zelensky" marks
 * "Zelenskyy" and accents do not matter; offsets map back because folding keeps one
 * character per character for the scripts news uses (NFD marks are removed per character).
 */
export function highlight(text: string, terms: string[], width = 160): string | null {
  if (terms.length === 0) return null;
  const folded = [...text].map((ch) => fold(ch).charAt(0) || ch).join("");
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})[\\p{L}\\p{N}]*`,
    "gu",
  );
  const chars = [...text];
  const matches = [...folded.matchAll(pattern)].map((m) => ({ start: [...folded.slice(0, m.index)].length, length: [...m[0]].length }));
  if (matches.length === 0) return null;
  const first = matches[0].start;
  const from = Math.max(0, Math.min(first - Math.floor(width / 3), chars.length - width));
  const to = Math.min(chars.length, from + width);
  let out = from > 0 ? "…" : "";
  let i = from;
  for (const match of matches) {
    if (match.start < i || match.start >= to) continue;
    out += escapeHtml(chars.slice(i, match.start).join(""));
    const end = Math.min(to, match.start + match.length);
    out += `<mark>${escapeHtml(chars.slice(match.start, end).join(""))}</mark>`;
    i = end;
  }
  out += escapeHtml(chars.slice(i, to).join(""));
  return to < chars.length ? `${out}…` : out;
}

/**
 * The snippet for a hit with several texts (a story's headline, standfirst, bullets): the
 * text that holds the most query words, a phrase counting as more than its words.
 */
export function bestSnippet(texts: string[], terms: string[], phrases: string[][]): string | null {
  let best: { text: string; score: number } | null = null;
  for (const text of texts) {
    const folded = fold(text);
    const found = terms.filter((term) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}`, "u").test(folded)).length;
    const phrasesFound = phrases.filter((phrase) => new RegExp(phrase.map(escapeRegExp).join("[^\\p{L}\\p{N}]+"), "u").test(folded)).length;
    const score = found + 2 * phrasesFound;
    if (score > 0 && (!best || score > best.score)) best = { text, score };
  }
  return best ? highlight(best.text, terms) : null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
