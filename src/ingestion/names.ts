import { HONORIFICS, NON_NAME_WORDS, ORGANISATION_NOUNS, ROLE_NOUNS } from "./lexicon";

/** A capitalised word that can be part of a name: Zelenskyy, O’Brien, Jean-Pierre, Zoë. */
export const NAME_TOKEN = /^\p{Lu}[\p{L}\p{M}’'.-]*$/u;
/** Lower-case particles inside names: Ursula von der Leyen, Luiz Inácio Lula da Silva. */
const PARTICLES = new Set(["de", "da", "di", "van", "von", "der", "den", "du", "le", "la", "bin", "al", "el", "dos", "das", "ter"]);

/** Modifiers that open a role but are capitalised only because a sentence starts with them. */
const ROLE_MODIFIERS = new Set([
  "foreign",
  "former",
  "prime",
  "senior",
  "managing",
  "executive",
  "acting",
  "interim",
  "opposition",
  "defence",
  "defense",
  "finance",
  "health",
  "interior",
  "sports",
  "sport",
  "home",
  "economy",
  "energy",
  "justice",
  "education",
  "local",
  "regional",
  "chief",
  "deputy",
  "vice",
  "top",
  "current",
  "new",
  "outgoing",
  "incoming",
  "junior",
  "shadow",
  "environment",
  "transport",
  "trade",
  "labour",
  "culture",
  "science",
  "agriculture",
  "fisheries",
  "housing",
]);

export function isNameToken(word: string): boolean {
  return NAME_TOKEN.test(word) && !NON_NAME_WORDS.has(word.toLowerCase());
}

/**
 * A key under which spellings of one name meet: accents folded, titles dropped, and the
 * transliteration choices that vary between publications made equal (y/i, ks/x, z/s,
 * doubled letters): Zelenskyy and Zelensky, Oleksandr and Olexandr, Zoë and Zoe.
 */
export function nameKey(name: string): string {
  return stripHonorifics(name.split(/\s+/)).map(tokenKey).filter(Boolean).join(" ");
}

export function tokenKey(token: string): string {
  return token
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "")
    .replace(/ks/g, "x")
    .replace(/kh/g, "h")
    .replace(/ph/g, "f")
    .replace(/z/g, "s")
    .replace(/[yj]/g, "i")
    .replace(/(.)\1+/g, "$1");
}

const NAME_SUFFIX = /^(?:jr|sr|ii|iii|iv|v)\.?,?$/i;

/** The family name: the last word before a generational suffix ("James Roosevelt Jr." → "Roosevelt"). */
export function surnameOf(name: string): string {
  const words = name.split(/\s+/);
  let last = words.length - 1;
  while (last > 0 && NAME_SUFFIX.test(words[last])) last--;
  return words[last];
}

export function stripHonorifics(tokens: string[]): string[] {
  let start = 0;
  while (start < tokens.length - 1 && HONORIFICS.has(tokens[start].toLowerCase().replace(/\.$/, ""))) start++;
  return tokens.slice(start);
}

/** "the defence ministry", "Harbour Compact leaders": a body that speaks, not a person. */
export function looksLikeOrganisation(phrase: string): boolean {
  const words = phrase.toLowerCase().split(/[\s-]+/);
  return words.some((word) => ORGANISATION_NOUNS.has(word.replace(/[’']s$/, "")));
}

export function isRoleWord(word: string): boolean {
  return isListedTitle(word) || looksLikeAgentNoun(word.replace(/^(?:co|vice|deputy|sub|under|assistant|joint)-(?=\p{Ll})/u, ""));
}

/** A title the lexicon lists ("director", "co-director"), not one guessed from its ending. */
function isListedTitle(word: string): boolean {
  // "co-director", "vice-chair": a hyphenated prefix keeps the title a title.
  const prefixed = /^(?:co|vice|deputy|sub|under|assistant|joint)-(\p{Ll}+)$/u.exec(word);
  if (prefixed) return isListedTitle(prefixed[1]);
  return ROLE_NOUNS.has(
    word
      .toLowerCase()
      .replace(/[’']s$/, "")
      .replace(/\.$/, ""),
  );
}

/**
 * Whether a role stated elsewhere in the article says more than the one a person holds: a
 * title that places the person ("nurse at Elmfield Hospital") over a lone word
 * ("student"), a listed title ("surf coach") over one only guessed from its ending ("wave whisperer").
 */
export function saysMore(held: string, offered: string): boolean {
  const placed = (role: string) => /\s(?:of|at|for|with)\s/.test(role);
  const listed = (role: string) => role.split(/\s+/).some(isListedTitle);
  return (!held.includes(" ") && placed(offered)) || (!listed(held) && listed(offered));
}

const NOT_AGENTS = new Set([
  "after",
  "under",
  "over",
  "never",
  "whether",
  "other",
  "another",
  "rather",
  "either",
  "neither",
  "however",
  "together",
  "sooner",
  "later",
  "order",
  "border",
  "number",
  "member",
  "government",
  "statement",
  "moment",
  "agreement",
  "parliament",
  "department",
  "event",
  "percent",
  "recent",
  "silent",
  "urgent",
  "present",
  "important",
  "significant",
  "meant",
  "want",
  "plant",
  "giant",
  "winter",
  "summer",
  "quarter",
  "water",
]);

/**
 * A lower-case agent noun ("harbourmaster", "economist", "campaigner") before a name reads
 * as a title even when no list has it. Capitalised words are left alone: Christian and
 * Baker are names.
 */
function looksLikeAgentNoun(word: string): boolean {
  // "-er" also ends comparatives and plain nouns ("colder", "power"), "-ment" ends abstract nouns ("announcement").
  if (/ment$/.test(word) || (/er$/.test(word) && word.length < 7)) return false;
  return /^\p{Ll}{3,}(?:er|or|ist|ian|ant|ent|master|man|woman|person)$/u.test(word) && !NOT_AGENTS.has(word);
}

/**
 * Splits "US Special Envoy Steve Witkoff" or "French president Emmanuel Macron" into the
 * role and the name: the name is what follows the last role word.
 */
export function splitRoleAndName(tokens: string[]): { role: string | null; name: string[] } {
  // "Dunmere Athletic’s Callum Renshaw": the owner before a possessive is not part of the name;
  // a possessive at the end ("Cadell’s budget") names the person without its ’s.
  const possessive = tokens.slice(0, -1).findLastIndex((token) => /[’']s$/.test(token));
  if (possessive >= 0) tokens = tokens.slice(possessive + 1);
  if (tokens.length > 0 && /[’']s$/.test(tokens.at(-1)!)) tokens = [...tokens.slice(0, -1), tokens.at(-1)!.replace(/[’']s$/, "")];
  let lastRole = -1;
  for (let i = 0; i < tokens.length - 1; i++) if (isRoleWord(tokens[i])) lastRole = i;
  const name = stripHonorifics(tokens.slice(lastRole + 1));
  const roleTokens = tokens
    .slice(0, lastRole + 1)
    .filter((token) => !HONORIFICS.has(token.toLowerCase().replace(/\.$/, "")) || lastRole > 0);
  return { role: roleTokens.length > 0 && roleTokens.some(isRoleWord) ? cleanRole(roleTokens.join(" ")) : null, name };
}

/**
 * How many leading words of a capitalised run close an "X of Y" title printed before it:
 * "Secretary of State Hillary Rodham Clinton", "Minister of Foreign Affairs Ada Brun". The
 * department is part of the role, never the first name; at least two words stay the name.
 */
export function titleTailLength(preceding: string[], run: string[]): number {
  const n = preceding.length;
  if (run.length < 3 || n < 2 || !/^of$/i.test(preceding[n - 1]) || !isRoleWord(preceding[n - 2])) return 0;
  let tail = 1;
  while (
    run.length - tail > 2 &&
    /^(Affairs|Security|Services|Resources|Relations|Development|Protection|Planning|Commerce)$/.test(run[tail])
  )
    tail++;
  return tail;
}

/** A role as stated, minus determiners, with a sentence-initial capital undone. */
export function cleanRole(role: string): string | null {
  let words = role
    .trim()
    .replace(/[,;:]+$/, "")
    .split(/\s+/);
  while (words.length > 0 && /^(the|a|an|its|their|his|her)$/i.test(words[0])) words = words.slice(1);
  // "Mr", "Dr." are forms of address, not roles.
  words = words.filter((word) => !HONORIFICS.has(word.toLowerCase().replace(/\.$/, "")));
  // A role opens with a title, a modifier or a proper name ("Alabama coach"); words of the
  // surrounding sentence before it ("in", "2017 the", "rebuke") are not part of it.
  while (words.length > 1 && !isRoleWord(words[0]) && !ROLE_MODIFIERS.has(words[0].toLowerCase()) && !/^\p{Lu}/u.test(words[0])) {
    // "the niece of the founder": the title belongs to someone else.
    if (/^of$/i.test(words[0])) return null;
    words = words.slice(1);
  }
  while (words.length > 0 && /^(the|a|an|its|their|his|her)$/i.test(words[0])) words = words.slice(1);
  if (words.length === 0 || !endsInTitle(words)) return null;
  const first = words[0].toLowerCase();
  if (/^\p{Lu}\p{Ll}+$/u.test(words[0]) && (ROLE_NOUNS.has(first) || ROLE_MODIFIERS.has(first))) {
    const honorific = HONORIFICS.has(first.replace(/\.$/, ""));
    if (!honorific) words[0] = first;
  }
  return words.join(" ");
}

/** Words that open a title but are never one alone: "press" (secretary), "vice" (president). */
const TITLE_MODIFIERS_ONLY = new Set(["press", "vice"]);
const PLACE_WORDS = /^(?:of|at|for|with|in|from|on|to|by|despite|since|under|over|during|after|before)$/i;

/**
 * A role is a title or job noun phrase: the word before its place ("director of X", "fellow at
 * Y") or its last word is a title noun. A verb's object ("got press releases") or a clause that
 * happens to hold an agent noun ("visitor numbers had held up despite …") is not a role.
 */
function endsInTitle(words: string[]): boolean {
  const first = words.findIndex(isRoleWord);
  if (first < 0) return false;
  const place = words.findIndex((word, k) => k > first && PLACE_WORDS.test(word));
  const head = words[(place < 0 ? words.length : place) - 1];
  return isRoleWord(head) && !TITLE_MODIFIERS_ONLY.has(head.toLowerCase());
}

export function isParticle(word: string): boolean {
  return PARTICLES.has(word);
}

export function slugify(text: string): string {
  return (
    text
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[’']/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "untitled"
  );
}
