/**
 * Which quotes by one speaker report the same statement. Outlets quote the same words with
 * different quotation marks, capitals, punctuation and spacing, and often quote only part
 * of a longer quote; both count as one statement. Pure functions: the database side is
 * src/quote/statements.ts.
 */

export interface StatementQuote {
  id: number;
  text: string;
  publishedAt: Date;
}

/**
 * A partial quote links to a longer one only when it is at least this long, so fragments
 * such as "very good" or "we will see" do not join every statement that contains them.
 */
export const MIN_PARTIAL_WORDS = 5;
export const MIN_PARTIAL_CHARS = 24;

/** The words of a quote with marks, case, punctuation and spacing folded away. */
export function statementKey(text: string): string {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      // we’re / we're / were: apostrophes join, other punctuation separates words.
      .replace(/['’‘`´]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim()
  );
}

/**
 * Groups one speaker's quotes into statements. Returns, for each quote id, the id of its
 * statement: the earliest report (by publication time, then id). Containment is judged on
 * whole words; two partial quotes of one longer quote are one statement with it.
 */
export function groupStatements(quotes: readonly StatementQuote[]): Map<number, number> {
  const ordered = [...quotes].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id - b.id);
  const keys = ordered.map((quote) => statementKey(quote.text));
  const parent = ordered.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  // The root is always the smaller index, which is the earlier report.
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  const byKey = new Map<string, number>();
  keys.forEach((key, i) => {
    if (!key) return;
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, i);
    else union(seen, i);
  });

  // Only distinct keys long enough to count as a partial quote are looked for in longer
  // ones. A partial joins the earliest report containing it and never bridges two longer
  // quotes: a stock phrase a speaker repeats must not merge their different statements.
  // A longer quote holding a partial holds each of its word triples, so only quotes sharing
  // the partial's rarest triple are searched: near-linear for real speech, not n².
  const keyList = [...byKey.entries()];
  const holders = new Map<string, number[]>();
  keyList.forEach(([key], k) => {
    for (const triple of new Set(triples(key))) {
      const list = holders.get(triple);
      if (list) list.push(k);
      else holders.set(triple, [k]);
    }
  });
  for (const [short, i] of keyList) {
    if (short.length < MIN_PARTIAL_CHARS || short.split(" ").length < MIN_PARTIAL_WORDS) continue;
    const needle = ` ${short} `;
    const candidates = triples(short)
      .map((triple) => holders.get(triple) ?? [])
      .reduce((rarest, list) => (list.length < rarest.length ? list : rarest));
    let earliest = -1;
    for (const k of candidates) {
      const [long, j] = keyList[k];
      if (long.length > short.length && ` ${long} `.includes(needle) && (earliest < 0 || find(j) < find(earliest))) earliest = j;
    }
    if (earliest >= 0) union(i, earliest);
  }

  const result = new Map<number, number>();
  ordered.forEach((quote, i) => result.set(quote.id, ordered[find(i)].id));
  return result;
}

function triples(key: string): string[] {
  const words = key.split(" ");
  const out: string[] = [];
  for (let i = 0; i + 3 <= words.length; i++) out.push(words.slice(i, i + 3).join(" "));
  return out;
}
