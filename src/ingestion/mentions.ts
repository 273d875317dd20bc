import { CORE_SPEECH_VERBS, NON_NAME_WORDS, PRONOUNS, ROLE_NOUNS, SPEECH_VERBS, VERB_PREFIX_WORDS } from "./lexicon";
import { cleanRole, isNameToken, isParticle, isRoleWord, looksLikeOrganisation, splitRoleAndName, titleTailLength } from "./names";

/**
 * Who a stretch of text points at, before it is resolved to a speaker. Text handed to these
 * functions has its quotes masked out (`§`), so words inside quotes are never taken for
 * subjects or verbs.
 */
export type Mention =
  | { kind: "name"; name: string; role: string | null; surface: string; organisation: boolean }
  | { kind: "pronoun"; word: string; /** Deep inside its clause ("… she'd end by saying"), not the tag's own subject. */ buried?: boolean }
  | { kind: "description"; noun: string; surface: string }
  | { kind: "unnamed" };

export interface Token {
  text: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}’'-]|\.(?=\p{L}))*[’']?/gu;
export const MASK = "§";

/** An initial ("C", "P.J", "M") or a suffix ("Jr") whose full stop belongs to the name. */
const INITIAL = /^(?:\p{Lu}(?:\.\p{Lu})*|Jr|Sr|St)$/u;

export function tokens(text: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  const slice = text.slice(from, to);
  for (const match of slice.matchAll(WORD)) {
    let end = from + match.index + match[0].length;
    // "C. Eugene Steuerle", "Robert M. Danin", "P.J. Crowley", "James Roosevelt Jr.": the full stop is part of the name.
    if (
      text[end] === "." &&
      end < to &&
      INITIAL.test(match[0]) &&
      (/^\s+\p{Lu}/u.test(text.slice(end + 1, end + 3)) || /^(?:Jr|Sr)$/.test(match[0]))
    )
      end++;
    out.push({ text: text.slice(from + match.index, end), start: from + match.index, end });
  }
  return out;
}

export interface Verb extends Token {
  core: boolean;
}

/** Speech verbs in a range ("said", "told", "added", "according to"). */
export function speechVerbs(masked: string, from: number, to: number): Verb[] {
  const words = tokens(masked, from, to);
  const verbs: Verb[] = [];
  for (const [i, word] of words.entries()) {
    const lower = word.text.toLowerCase();
    if (lower === "according" && words[i + 1]?.text.toLowerCase() === "to") {
      verbs.push({ ...word, end: words[i + 1].end, core: true });
    } else if (SPEECH_VERBS.has(lower) && word.text === lower) {
      verbs.push({ ...word, core: CORE_SPEECH_VERBS.has(lower) });
    }
  }
  return verbs;
}

const STOP_BEFORE_SUBJECT = new Set([
  "that",
  "and",
  "but",
  "while",
  "as",
  "when",
  "because",
  "after",
  "before",
  "if",
  "so",
  "although",
  "though",
  "where",
  "whom",
]);
const TIME_WORDS =
  /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|evening|night|week|month|year|weekend|today|yesterday|tonight|\d+)$/i;

/**
 * The subject of a speech verb, read backwards from the verb: "Witkoff, who has led talks
 * with Russia, said" is Witkoff's, however many names the relative clause holds.
 */
export function subjectBefore(masked: string, clauseStart: number, verbStart: number): Mention | null {
  let end = verbStart;
  let words = tokens(masked, clauseStart, end);
  // Drop adverbs and auxiliaries between subject and verb ("Gladkov later said", "on Tuesday said").
  for (;;) {
    const last = words.at(-1);
    if (!last || /[,;:]\s*$/.test(masked.slice(last.end, end))) break;
    const lower = last.text.toLowerCase();
    // "Quist strongly warned": an -ly adverb sits between a subject and its verb like "later" does.
    if (VERB_PREFIX_WORDS.has(lower) || /^\p{Ll}{3,}ly$/u.test(last.text)) {
      end = last.start;
      words = words.slice(0, -1);
    } else if (TIME_WORDS.test(lower) && words.length >= 2 && /^(on|last|this|next|late|early|in|at)$/i.test(words.at(-2)!.text)) {
      end = words.at(-2)!.start;
      words = words.slice(0, -2);
      while (words.length > 0 && /^(late|early)$/i.test(words.at(-1)!.text)) {
        end = words.at(-1)!.start;
        words = words.slice(0, -1);
      }
    } else break;
  }
  let text = masked.slice(clauseStart, end);
  // "Putin attended a service and hailed …": a second verb shares the clause's subject.
  if (/\b(and|but|then)\s*$/i.test(text)) return leadingSubject(masked, clauseStart, end);

  // "X, who …," / "X, the central bank governor," / "the secretary general, X," / "X, speaking
  // in Halvik,": commas around a clause that sits between the subject and its verb.
  const trimmed = text.trimEnd();
  if (trimmed.endsWith(",")) {
    const inner = trimmed.slice(0, -1);
    const relative = /,\s*(?:who|which|whose|whom|where)\b/i.exec(inner);
    if (relative) return subjectBefore(masked, clauseStart, clauseStart + relative.index);
    const comma = inner.lastIndexOf(",");
    if (comma >= 0) {
      const clause = inner.slice(comma + 1).trim();
      const head = inner.slice(0, comma);
      const clauseWords = tokens(clause);
      if (clauseWords.length > 0 && clauseWords.every((word) => isNameToken(word.text) || isParticle(word.text))) {
        const name = splitRoleAndName(clauseWords.map((word) => word.text));
        const roleWords = tokens(head).slice(-6);
        return {
          kind: "name",
          name: name.name.join(" "),
          role: name.role ?? cleanRole(roleWords.map((word) => word.text).join(" ")),
          surface: clause,
          organisation: false,
        };
      }
      // "Oskar Fell, 61, a ferry captain, said": the age belongs to the name before it.
      const age = /,\s*\d{1,3}$/.exec(head);
      const subject = subjectBefore(masked, clauseStart, clauseStart + head.length - (age?.[0].length ?? 0));
      if (subject && subject.kind !== "unnamed") {
        const apposition = clauseWords.length > 0 && /^(the|a|an|his|her|their|its)$/i.test(clauseWords[0].text);
        if (apposition && subject.kind === "name" && !subject.organisation)
          return { ...subject, role: subject.role ?? cleanRole(beforeRelative(clause)) };
        return subject;
      }
    }
    text = inner;
  }
  return trailingSubject(text, masked, clauseStart);
}

function beforeRelative(clause: string): string {
  return clause.split(/\s+(?:who|which|that|whose)\s+/i)[0];
}

/** The noun phrase that ends `text`: a name with its title, a pronoun, or a description. */
function trailingSubject(text: string, masked: string, offset: number): Mention | null {
  const words = tokens(text);
  if (words.length === 0) return null;
  const gap = (a: Token, b: Token) => text.slice(a.end, b.start);
  const lastWord = words.at(-1)!;
  if (/[,;:§]/.test(text.slice(lastWord.end))) return null;
  if (PRONOUNS.has(lastWord.text.toLowerCase())) return { kind: "pronoun", word: lastWord.text.toLowerCase() };

  // A capitalised run: "US Special Envoy Steve Witkoff", "Vesk", "Ursula von der Leyen".
  let i = words.length - 1;
  while (
    i >= 0 &&
    (isNameToken(words[i].text) || (isParticle(words[i].text) && i > 0 && isNameToken(words[i - 1].text))) &&
    /^\s*$/.test(i < words.length - 1 ? gap(words[i], words[i + 1]) : "")
  )
    i--;
  let run = words.slice(i + 1);
  // "the New Zealand Department of Conservation", "Council on Foreign Relations": a body's name
  // runs through "of"/"on"/"for" when the part before it names a body.
  if (
    run.length > 0 &&
    i >= 1 &&
    /^(of|on|for)$/.test(words[i].text) &&
    /^\s+$/.test(gap(words[i - 1], words[i])) &&
    isNameToken(words[i - 1].text)
  ) {
    let h = i - 1;
    while (h > 0 && isNameToken(words[h - 1].text) && /^\s+$/.test(gap(words[h - 1], words[h])) && i - h < 6) h--;
    const head = words
      .slice(h, i)
      .map((w) => w.text)
      .join(" ");
    if (looksLikeOrganisation(head)) {
      const name = text.slice(words[h].start, lastWord.end);
      return { kind: "name", name, role: null, surface: name, organisation: true };
    }
  }
  // "U.S. Secretary of State Hillary Rodham Clinton": the title runs through the department.
  let ofTitle: string | null = null;
  const tail = titleTailLength(
    words.slice(Math.max(0, i - 1), i + 1).map((w) => w.text),
    run.map((w) => w.text),
  );
  if (tail > 0) {
    let k = i - 1;
    while (
      k > 0 &&
      k > i - 4 &&
      /^\s+$/.test(gap(words[k - 1], words[k])) &&
      (isNameToken(words[k - 1].text) || ROLE_LEAD.test(words[k - 1].text.toLowerCase()))
    )
      k--;
    ofTitle = cleanRole(text.slice(words[k].start, run[tail - 1].end));
    run = run.slice(tail);
  }
  if (run.length > 0 && !isParticle(run[0].text)) {
    // The words right before the name, back to the first punctuation: "after Quist's angry
    // speech, harbour chief Ivo Berg" gives "harbour chief", nothing before the comma.
    let b = i;
    while (b > 0 && b > i - 5 && /^\s*$/.test(gap(words[b - 1], words[b]))) b--;
    const before = i >= 0 ? words.slice(b, i + 1) : [];
    const determiner = i >= 0 && /^(the|a|an)$/i.test(words[i].text);
    const split = splitRoleAndName(run.map((word) => word.text));
    const surface = text.slice(run[0].start, lastWord.end);
    if (determiner && !split.role) {
      return { kind: "name", name: run.map((w) => w.text).join(" "), role: null, surface, organisation: true };
    }
    let role = split.role ?? ofTitle;
    if (!role && i >= 0 && isRoleWord(words[i].text)) {
      let k = before.length - 1;
      const roleWords: string[] = [];
      while (
        k >= 0 &&
        !STOP_BEFORE_SUBJECT.has(before[k].text.toLowerCase()) &&
        !/^(the|a|an|of|in|on|by|with|for|to|from)$/i.test(before[k].text) &&
        roleWords.length < 5
      ) {
        roleWords.unshift(before[k].text);
        k--;
      }
      role = cleanRole(roleWords.join(" "));
    }
    const name = split.name.join(" ");
    if (!name) return null;
    return {
      kind: "name",
      name,
      role,
      surface: role ? `${text.slice(Math.max(0, text.lastIndexOf(role.split(" ")[0], run[0].start)), lastWord.end)}` : surface,
      organisation: looksLikeOrganisation(name) && split.name.length > 1,
    };
  }

  // A lower-case noun phrase back to the clause start: "a statement by coalition leaders", "the minister".
  let k = words.length - 1;
  while (
    k > 0 &&
    !STOP_BEFORE_SUBJECT.has(words[k - 1].text.toLowerCase()) &&
    /^\s*$/.test(gap(words[k - 1], words[k])) &&
    words.length - k < 7
  )
    k--;
  let phraseWords = words.slice(k);
  // "the rhetoric from Quist’s Harbour party": the body is what follows the last "from".
  const from = phraseWords.findLastIndex((w, n) => n < phraseWords.length - 1 && /^(?:from|about|against|among|with)$/i.test(w.text));
  if (
    from >= 0 &&
    looksLikeOrganisation(
      phraseWords
        .slice(from + 1)
        .map((w) => w.text)
        .join(" "),
    )
  )
    phraseWords = phraseWords.slice(from + 1);
  const phrase = phraseWords.map((w) => w.text).join(" ");
  const first = phraseWords[0].text.toLowerCase();
  if (
    looksLikeOrganisation(phrase) &&
    !/^(one|an?|some|several|two|three)\s+(analyst|official|resident|source|person|member)/i.test(phrase)
  ) {
    const name = phrase
      .replace(
        /^(a|an|the)\s+(joint\s+)?(statement|spokesperson|spokesman|spokeswoman|representative|letter|post|message)\s+(by|from|for|of|on behalf of)\s+/i,
        "",
      )
      .replace(/^(the|a|an)\s+/i, "")
      // "Brightwell’s board" speaks for Brightwell.
      .replace(
        /^(\p{Lu}[^’']*)[’']s\s+(?:board|management|spokesperson|spokesman|spokeswoman|office|press office|statement|lawyers?)$/u,
        "$1",
      );
    return { kind: "name", name, role: null, surface: phrase, organisation: true };
  }
  if (first === "the" && phraseWords.length >= 2) {
    // Only listed titles: "the glacier" ends like an agent noun but describes no person.
    const noun = phraseWords.at(-1)!.text.toLowerCase();
    if (ROLE_NOUNS.has(noun) || /^\d+-year-old$/.test(noun)) return { kind: "description", noun, surface: phrase };
  }
  void masked;
  void offset;
  return { kind: "unnamed" };
}

const ROLE_LEAD = /^(chief|senior|deputy|assistant|former|acting|executive|managing|vice|general|associate|lead|head)$/;

/** The subject after an inverted verb: “…,” said Dr Ilse Varga, the glaciologist who … */
export function subjectAfter(masked: string, verbEnd: number, to: number): Mention | null {
  // A subject after its verb is a few words long: looking further would make long sentences quadratic.
  to = Math.min(to, verbEnd + 200);
  // A full stop after an initial ("C. Linus Marrow") or a suffix does not end the subject.
  const stop = masked.slice(verbEnd, to).search(/[,;:§]|(?<!(?:^|[\s.])\p{Lu})(?<![\s][JS]r)\./u);
  const end = stop === -1 ? to : verbEnd + stop;
  const words = tokens(masked, verbEnd, end);
  if (words.length === 0) return null;
  if (PRONOUNS.has(words[0].text.toLowerCase())) return { kind: "pronoun", word: words[0].text.toLowerCase() };
  // "said chief inspector Jennifer Mattinson from …": a lower-case title before the name is its role.
  let r = 0;
  while (r < words.length - 1 && r < 4 && /^\p{Ll}/u.test(words[r].text) && (isRoleWord(words[r].text) || ROLE_LEAD.test(words[r].text)))
    r++;
  if (r > 0 && !isNameToken(words[r].text)) r = 0;
  let n = r;
  while (n < words.length && (isNameToken(words[n].text) || (n > r && isParticle(words[n].text)))) n++;
  // "said NOAA head Jane Lubchenco": a body and a lower-case title before the person's name.
  let m = n;
  while (m < words.length && m - n < 3 && /^\p{Ll}/u.test(words[m].text) && (isRoleWord(words[m].text) || ROLE_LEAD.test(words[m].text)))
    m++;
  if (m > n && m < words.length && isNameToken(words[m].text)) {
    while (m < words.length && isNameToken(words[m].text)) m++;
    n = m;
  }
  if (n > r) {
    const split = splitRoleAndName(words.slice(0, n).map((w) => w.text));
    let role = split.role;
    const rest = masked.slice(end, to);
    const apposition = /^,\s*((?:the|a|an)\s+[^,;.§]+)/i.exec(rest);
    if (!role && apposition) role = cleanRole(beforeRelative(apposition[1]));
    const surface = masked.slice(words[0].start, words[n - 1].end);
    return { kind: "name", name: split.name.join(" "), role, surface, organisation: false };
  }
  // "said the ministry", "said the 24-year-old", "said one analyst": read it as if it came first.
  return trailingSubject(masked.slice(verbEnd, end).trim(), masked, verbEnd);
}

/** Bodies named by their owner: "Harry Reid's campaign", "the mayor's office" speak as themselves. */
const OWNED_BODY = /^(?:campaign|administration|office|camp|team)$/;

/** The subject a sentence opens with, when it has no speech verb: "He thanked …", "Putin attended …". */
export function leadingSubject(masked: string, from: number, to: number): Mention | null {
  const words = tokens(masked, from, Math.min(to, from + 200));
  if (words.length === 0) return null;
  const first = words[0].text;
  if (PRONOUNS.has(first.toLowerCase())) return { kind: "pronoun", word: first.toLowerCase() };
  let n = 0;
  while (n < words.length && (isNameToken(words[n].text) || isRoleWord(words[n].text) || (n > 0 && isParticle(words[n].text)))) {
    if (n > 0 && !/^\s*$/.test(masked.slice(words[n - 1].end, words[n].start))) break;
    n++;
  }
  // "Reid's campaign hit back": a body known by its owner speaks, not the owner.
  if (
    n > 0 &&
    words[n] &&
    OWNED_BODY.test(words[n].text) &&
    /[’']s$/.test(words[n - 1].text) &&
    /^\s+$/.test(masked.slice(words[n - 1].end, words[n].start))
  ) {
    const owner = splitRoleAndName(words.slice(0, n).map((w) => w.text)).name;
    if (owner.length > 0) {
      const name = `${owner.join(" ")}’s ${words[n].text}`;
      return { kind: "name", name, role: null, surface: masked.slice(words[0].start, words[n].end), organisation: true };
    }
  }
  if (n > 0 && !NON_NAME_WORDS.has(first.toLowerCase())) {
    const split = splitRoleAndName(words.slice(0, n).map((w) => w.text));
    if (split.name.length > 0 && split.name.every((t) => isNameToken(t) || isParticle(t))) {
      return {
        kind: "name",
        name: split.name.join(" "),
        role: split.role,
        surface: masked.slice(words[0].start, words[n - 1].end),
        organisation: false,
      };
    }
  }
  if (/^the$/i.test(first) && words[1] && (isRoleWord(words[1].text) || /^\d+-year-old$/.test(words[1].text))) {
    return { kind: "description", noun: words[1].text.toLowerCase(), surface: `${first} ${words[1].text}` };
  }
  return null;
}
