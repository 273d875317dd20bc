import { BadInputError } from "../errors";

/**
 * What both search backends index and match: text folded to lower case without accents,
 * so "Zelensky", "zelenskyy" and "Zélensky" meet. Folding happens here, in one place, rather
 * than in each database's dictionary.
 */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A parsed search: every term must match (as a word prefix); a phrase must match in order. */
export interface SearchQuery {
  terms: string[];
  phrases: string[][];
}

const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 12;

/**
 * Reads a user's search string: words, and "quoted phrases". Everything else (operators,
 * punctuation) is dropped rather than passed to a database's query syntax, so no input can
 * reach SQL or make the full-text engine throw.
 */
export function parseSearch(raw: string): SearchQuery {
  if (raw.length > MAX_QUERY_LENGTH)
    throw new BadInputError(`search query is longer than ${MAX_QUERY_LENGTH} characters`, { argument: "query" });
  const quoteMarks = (raw.match(/["“”]/g) ?? []).length;
  if (quoteMarks % 2 === 1) throw new BadInputError("search query has an unclosed quotation mark", { argument: "query" });
  const phrases: string[][] = [];
  const rest = raw.replace(/["“]([^"”]*)["”]/g, (_match, phrase: string) => {
    const phraseWords = words(phrase);
    if (phraseWords.length > 1) phrases.push(phraseWords);
    return phraseWords.length === 1 ? ` ${phraseWords[0]} ` : " ";
  });
  const terms = [...new Set(words(rest))];
  const count = terms.length + phrases.reduce((n, p) => n + p.length, 0);
  if (count === 0) throw new BadInputError("search query has no words to search for", { argument: "query" });
  if (count > MAX_TERMS) throw new BadInputError(`search query has more than ${MAX_TERMS} words`, { argument: "query" });
  return { terms, phrases };
}

/** Every word the query looks for, for highlighting. */
export function queryWords(query: SearchQuery): string[] {
  return [...new Set([...query.terms, ...query.phrases.flat()])];
}
