/**
 * Sentence boundaries for quote context. A sentence ends at . ! ? or … followed by any
 * closing marks and whitespace. Abbreviations ("Mr. Smith") make this imperfect; context is
 * for display, so a slightly long sentence is an acceptable failure.
 */
const SENTENCE_END = /[.!?…]["”’)\]]*\s+/g;

/** The sentence (or sentences) covering text[start, end), trimmed. */
export function sentenceAround(text: string, start: number, end: number): string {
  let from = 0;
  let to = text.length;
  for (const match of text.matchAll(SENTENCE_END)) {
    const matchEnd = match.index + match[0].length;
    if (matchEnd <= start) from = matchEnd;
    else if (matchEnd > end) {
      to = match.index + match[0].trimEnd().length;
      break;
    }
  }
  return text.slice(from, to).trim();
}
