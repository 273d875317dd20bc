import { nameKey, surnameOf, tokenKey } from "./names";
import { type ParsedSpeaker } from "./types";

/** A speaker already known to Newsgate, as far as matching needs it. */
export interface KnownSpeaker {
  id: number;
  name: string;
  kind: "person" | "organisation";
  aliases: string[];
}

/**
 * Finds the known speaker a parsed one is, across stories and publications. Full names meet
 * under `nameKey` (accents, titles and transliteration folded). A lone surname matches only
 * when exactly one known person has it, so two Renshaws are never merged by a guess.
 */
export function matchSpeaker(parsed: Pick<ParsedSpeaker, "name" | "kind">, known: readonly KnownSpeaker[]): KnownSpeaker | null {
  const key = nameKey(parsed.name);
  const sameKind = known.filter((speaker) => speaker.kind === parsed.kind);
  const exact = sameKind.find((speaker) => nameKey(speaker.name) === key);
  if (exact) return exact;
  // An alias is a surface form seen in one story; it may carry a misattribution, so it only
  // joins a full name to a speaker whose own name cannot be a different person's full name.
  const byAlias = sameKind.filter(
    (speaker) =>
      speaker.aliases.some((alias) => alias.includes(" ") && nameKey(alias) === key) &&
      (parsed.kind === "organisation" || !differentFullNames(speaker.name, parsed.name)),
  );
  if (byAlias.length === 1) return byAlias[0];
  const tokens = parsed.name.split(/\s+/);
  if (parsed.kind === "person" && tokens.length === 1) {
    const surname = tokenKey(tokens[0]);
    const bySurname = sameKind.filter((speaker) => tokenKey(surnameOf(speaker.name)) === surname);
    return bySurname.length === 1 ? bySurname[0] : null;
  }
  if (parsed.kind === "organisation") {
    const words = key.split(" ");
    const containing = sameKind.filter((speaker) => {
      const other = nameKey(speaker.name).split(" ");
      const [short, long] = words.length <= other.length ? [words, other] : [other, words];
      return short.every((word) => long.includes(word));
    });
    return containing.length === 1 ? containing[0] : null;
  }
  return null;
}

/** Two full names of people that name different people: "JD Vance" and "Volodymyr Zelenskyy". */
function differentFullNames(a: string, b: string): boolean {
  const wordsA = nameKey(a).split(" ");
  const wordsB = nameKey(b).split(" ");
  if (wordsA.length < 2 || wordsB.length < 2) return wordsA.at(-1) !== wordsB.at(-1);
  if (wordsA.at(-1) !== wordsB.at(-1)) return true;
  // Same surname: the given names must agree, or one be the other's initial.
  const [first, second] = [wordsA[0], wordsB[0]];
  return !(first === second || (first.length === 1 && second.startsWith(first)) || (second.length === 1 && first.startsWith(second)));
}
