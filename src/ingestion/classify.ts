import { tokens } from "./mentions";

const SMALL_WORDS = new Set(["of", "the", "and", "for", "in", "on", "a", "an", "de", "to", "at", "or", "by"]);
const LABEL_CUES =
  /(?:so-called|dubbed|nicknamed|named|known as|titled|branded|labelled|labeled|termed|the words?|the phrase|the term|the slogan|the hashtag)\s*$/i;
const DETERMINER_BEFORE = /(?:^|\s)(?:the|a|an|its|their|our)\s*$/i;

/**
 * Direct speech or a label? Quotation marks also wrap names (“Operation Iron Vigil”), terms
 * ("a so-called “peace dividend”") and scare quotes (the “coalition of the willing”). Those
 * are short, carry no closing punctuation, and are either Title Case, introduced by a
 * labelling word or a determiner, or stand in a sentence where nobody speaks.
 */
export function isDirectSpeech(quote: string, textBefore: string, sentenceHasSpeechVerb: boolean, textAfter = ""): boolean {
  const words = tokens(quote).map((token) => token.text);
  if (words.length === 0) return false;
  const trimmed = quote.trim();
  const significant = words.filter((word) => !SMALL_WORDS.has(word.toLowerCase()));
  const titleCase = significant.length > 0 && significant.every((word) => /^[\p{Lu}\p{N}]/u.test(word));
  // A title or a sign ("Deterministic Nonperiodic Flow.", "First of the Season Fresh …"), even with a full stop.
  if (titleCase && significant.length >= 2 && words.length <= 8) return false;
  // An epithet in apposition: "Lorenz, “the father of chaos,” …".
  if (/,\s*$/.test(textBefore) && /^(the|a|an)\s/i.test(trimmed) && words.length <= 5 && /,$/.test(trimmed)) return false;
  const endsLikeSpeech = /[.,!?…:;—–-]$/.test(trimmed);
  const sentenceLike = endsLikeSpeech && words.length >= 3;
  if (sentenceLike) return true;
  // A short quote that is a sentence of its own: “No spin.” “Never!”
  if (/[.!?…]$/.test(trimmed) && /^\p{Lu}/u.test(trimmed) && !/\p{L}/u.test(textBefore.slice(-3))) return true;
  if (LABEL_CUES.test(textBefore)) return false;
  if (titleCase && words.length <= 6) return false;
  // "warned against making a “bad deal”.": a determiner marks a label, unless a speech verb
  // governs the sentence and the quote closes its clause rather than naming the next noun.
  // A word that opens a new phrase (“rushed deal” during …, “vultures” who …) ends the quoted noun
  // phrase too; a noun or participle after it ("budget line", "promised by") is what it labels.
  const closesClause =
    /^\s*(?:[.,;:!?)—–-]|$|(?:who|which|that|during|at|in|for|to|and|but|from|with|on|by|over|after|before|because|when|while)\b)/.test(
      textAfter,
    );
  if (words.length <= 3 && DETERMINER_BEFORE.test(textBefore) && !(sentenceHasSpeechVerb && closesClause)) return false;
  if (!sentenceHasSpeechVerb && words.length <= 4) return false;
  return true;
}
