import { nameKey, tokenKey } from "./names";
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
  const exact = sameKind.find(
    (speaker) => nameKey(speaker.name) === key || speaker.aliases.some((alias) => alias.includes(" ") && nameKey(alias) === key),
  );
  if (exact) return exact;
  const tokens = parsed.name.split(/\s+/);
  if (parsed.kind === "person" && tokens.length === 1) {
    const surname = tokenKey(tokens[0]);
    const bySurname = sameKind.filter((speaker) => tokenKey(speaker.name.split(/\s+/).at(-1)!) === surname);
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
