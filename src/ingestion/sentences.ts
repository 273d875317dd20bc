import { SPEECH_VERBS } from "./lexicon";
import { findQuoteSpans, type QuoteSpan } from "./quote-marks";

export interface Sentence {
  start: number;
  end: number;
}

const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "st",
  "gen",
  "col",
  "lt",
  "sgt",
  "capt",
  "gov",
  "sen",
  "rep",
  "no",
  "vs",
  "jr",
  "sr",
  "inc",
  "ltd",
  "co",
  "corp",
  "etc",
]);
const OPENING_MARK = /[“"«„‘]/;

/**
 * Splits a body unit into sentences without ever cutting inside a quote: a quote of several
 * sentences belongs with the tag that attributes it. A sentence ends at . ! ? or … followed
 * by a capital letter or an opening quote mark (with or without the space a careless page
 * drops), and after a quote whose own last sentence ended inside the marks.
 */
export function splitSentences(text: string, spans: QuoteSpan[] = findQuoteSpans(text)): Sentence[] {
  // Lookups by position, so the scan stays linear in the unit's length however many quotes it holds.
  const inside = new Uint8Array(text.length + 1);
  const closing = new Map<number, QuoteSpan>();
  const opens = new Set<number>();
  for (const span of spans) {
    inside.fill(1, span.open, Math.min(text.length, span.close) + 1);
    if (span.close < text.length) closing.set(span.close, span);
    opens.add(span.open);
  }
  const boundaries: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const span = closing.get(i);
    if (span) {
      const inner = text.slice(span.start, span.end).trimEnd();
      if (/[.!?…]$/.test(inner) && startsNewSentence(text, i + 1) && !followedByTag(text, i + 1)) boundaries.push(i + 1);
      continue;
    }
    if (!/[.!?…]/.test(ch) || inside[i]) continue;
    if (ch === "." && isAbbreviation(text, i)) continue;
    let j = i + 1;
    while (j < text.length && /[)\]’'”"]/.test(text[j]) && !opens.has(j)) j++;
    if (startsNewSentence(text, j)) boundaries.push(j);
  }
  const sentences: Sentence[] = [];
  let from = 0;
  boundaries.sort((a, b) => a - b);
  for (const boundary of boundaries.filter((b, k) => k === 0 || b !== boundaries[k - 1])) {
    pushTrimmed(text, from, boundary, sentences);
    from = boundary;
  }
  pushTrimmed(text, from, text.length, sentences);
  return sentences;
}

/** “Did nobody own a staircase?” Dunn asked. — the tag belongs to the quote before it. */
function followedByTag(text: string, index: number): boolean {
  const words = text
    .slice(index, index + 80)
    .split(/[.,;:!?“”"]/)[0]
    .trim()
    .split(/\s+/)
    .slice(0, 6);
  return words.length <= 5 && words.some((word, i) => i > 0 && SPEECH_VERBS.has(word.toLowerCase()));
}

function startsNewSentence(text: string, index: number): boolean {
  let j = index;
  const hadSpace = /\s/.test(text[j] ?? "");
  while (j < text.length && /\s/.test(text[j])) j++;
  if (j >= text.length) return false;
  if (OPENING_MARK.test(text[j])) return true;
  return hadSpace && /\p{Lu}|\d/u.test(text[j]);
}

function isAbbreviation(text: string, dot: number): boolean {
  const word = /([\p{L}]+)$/u.exec(text.slice(Math.max(0, dot - 12), dot))?.[1] ?? "";
  if (word.length === 1 && /\p{Lu}/u.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

function pushTrimmed(text: string, from: number, to: number, out: Sentence[]): void {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end > start) out.push({ start, end });
}

/** The sentence (or sentences) covering text[start, end), for showing a quote in context. */
export function sentenceAround(text: string, start: number, end: number, spans?: QuoteSpan[]): string {
  const sentences = splitSentences(text, spans);
  const first = sentences.find((s) => s.end > start) ?? sentences[0];
  const last = [...sentences].reverse().find((s) => s.start < end) ?? first;
  return text.slice(Math.min(first.start, last.start), Math.max(first.end, last.end));
}
