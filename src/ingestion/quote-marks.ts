/** A span between a pair of double quotation marks: `start`/`end` bound the text inside. */
export interface QuoteSpan {
  /** Index of the opening mark. */
  open: number;
  /** Index of the closing mark, or text.length when the quote runs to the end of the unit. */
  close: number;
  start: number;
  end: number;
}

const OPENERS: Record<string, string> = { "“": "”", "«": "»", "„": "“" };

/**
 * Finds double-quoted spans. Curly marks say which way they face; straight marks do not, so
 * each straight `"` is judged by its neighbours. A `"` right after a digit is an inch mark
 * (a 55" screen, 6'2") unless a quote is open and nothing later could close it. Single
 * marks are never quote boundaries at this level: they are apostrophes (Ukraine’s, ’90s)
 * or quotes nested inside a double-quoted quote, which stay part of its text.
 */
export function findQuoteSpans(text: string): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch in OPENERS) {
      const closer = OPENERS[ch];
      let j = i + 1;
      // A curly quote cannot contain another opening curly mark of the same kind: a new
      // “ before any ” means the first quote ran on (a paragraph-continuation convention).
      while (j < text.length && text[j] !== closer && text[j] !== ch) j++;
      if (j < text.length && text[j] === closer) {
        spans.push({ open: i, close: j, start: i + 1, end: j });
        i = j + 1;
      } else {
        spans.push({ open: i, close: j, start: i + 1, end: trimEndIndex(text, j) });
        i = j;
      }
      continue;
    }
    if (ch === '"') {
      // A doubled opening mark (a typo: `""Tim's 13 years …`) opens one quote.
      if (text[i + 1] === '"' && /\p{L}/u.test(text[i + 2] ?? "") && !/\p{L}/u.test(text[i - 1] ?? "")) i++;
      if (isInchMark(text, i)) {
        i++;
        continue;
      }
      const close = findStraightClose(text, i + 1);
      if (close === -1) {
        // An opener with nothing to close it: the quote runs to the end of the unit.
        if (/\S/.test(text[i + 1] ?? "")) spans.push({ open: i, close: text.length, start: i + 1, end: trimEndIndex(text, text.length) });
        break;
      }
      spans.push({ open: i, close, start: i + 1, end: close });
      i = close + 1;
      continue;
    }
    i++;
  }
  return spans.filter((span) => span.end > span.start && /\p{L}|\p{N}/u.test(text.slice(span.start, span.end)));
}

function isInchMark(text: string, index: number): boolean {
  return /\d/.test(text[index - 1] ?? "") && !/\p{L}/u.test(text[index + 1] ?? "");
}

/** The first later straight mark that can close a quote; inch marks only as a last resort. */
function findStraightClose(text: string, from: number): number {
  let inchFallback = -1;
  for (let j = from; j < text.length; j++) {
    if (text[j] !== '"') continue;
    if (isInchMark(text, j)) {
      if (inchFallback === -1) inchFallback = j;
      continue;
    }
    return j;
  }
  return inchFallback;
}

function trimEndIndex(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1])) e--;
  return e;
}
