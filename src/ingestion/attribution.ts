import { isDirectSpeech } from "./classify";
import { leadingSubject, MASK, type Mention, speechVerbs, subjectAfter, subjectBefore, tokens, type Verb } from "./mentions";
import { NON_NAME_WORDS, SPEECH_VERBS } from "./lexicon";
import { cleanRole, isNameToken, isParticle, isRoleWord, splitRoleAndName, titleTailLength } from "./names";
import { findQuoteSpans, type QuoteSpan } from "./quote-marks";
import { splitSentences } from "./sentences";
import { type Gender, SpeakerRegistry } from "./speaker-registry";
import { type AttributionRule, type ParsedQuote, type ParsedSpeaker } from "./types";

/**
 * Every attribution rule in one place, with the confidence each gives and what it matches. For
 * each quote the tags are tried first (after the quote, then before it); the kind of subject
 * the tag names picks the row (a name, a shared lone name, a pronoun, a nominal); a quote with
 * no tag falls to the sentence's subject, then to continuation, then to none. Confidences are calibrated on published articles
 * (`npm run eval:quotes` prints accuracy per band): what scores ≥ 0.9 is right ≥ 97% of the
 * time, and most wrong attributions score below 0.6, so an editor reviewing the low ones first
 * finds the errors. All rules read and update one discourse state: the speaker registry (people
 * and bodies met so far, with the names the article gives them), the last speaker, the last
 * person spoken of, the last quote's speaker and unit.
 */
const RULES = [
  {
    rule: "tag-after",
    confidence: 0.95,
    matcher:
      "a speech verb right after the quote: “…,” X said / said X (candidateVerbs, subjectFor); 0.8 when it opens the next sentence: “…?” X recalls",
  },
  { rule: "tag-before", confidence: 0.9, matcher: "the nearest speech verb before the quote: X said: “…”; X said … that Y “…” → X" },
  { rule: "ambiguous", confidence: 0.6, matcher: "a tag whose lone name two people in the article share (“Lee”, two Lees)" },
  { rule: "pronoun", confidence: 0.85, matcher: "he/she/it/they in a tag, pointing at the latest quote's speaker, same or next unit" },
  {
    rule: "pronoun-stale",
    confidence: 0.55,
    matcher:
      "a pronoun that reaches past the latest quote's speaker, or to a person sharing a name, or a he/she whose gender (honorific, given name, earlier pronoun) rules out the pointed-at person: then the clause's own subject or the latest person who fits",
  },
  { rule: "description", confidence: 0.55, matcher: "a nominal in a tag (“the minister said”): the latest person with that role" },
  { rule: "sentence-subject", confidence: 0.5, matcher: "no speech verb: the name or pronoun the sentence opens with" },
  { rule: "continuation", confidence: 0.75, matcher: "a bare quote right after the latest quote's speaker, same or next unit" },
  {
    rule: "continuation-stale",
    confidence: 0.5,
    matcher:
      "a bare quote further from its speaker, or to a person sharing a name; a quote that is the predicate of a name (Y “has agreed …”) right after another speaker's quote stays with that speaker",
  },
  {
    rule: "none",
    confidence: 0,
    matcher:
      "an unnamed source (“one analyst said”, a passive without “by”, “a question came from a member of the audience: …”), or nobody in play",
  },
] as const;

const CONFIDENCE = Object.fromEntries(RULES.map((r) => [r.rule, r.confidence])) as Record<(typeof RULES)[number]["rule"], number>;

interface Resolved {
  speaker: number | null;
  rule: AttributionRule;
  confidence: number;
}

/**
 * Finds the direct quotes in the body units and who said each one. The unit of reasoning is
 * the sentence (quotes never split one); state carries across sentences and units, because
 * articles do: "he said" and a bare follow-up quote belong to the last speaker.
 */
export function attributeQuotes(units: string[], extraText: string[] = []): { quotes: ParsedQuote[]; speakers: ParsedSpeaker[] } {
  const plain = plainOpeners(units);
  const registry = new SpeakerRegistry(
    [...extraText, ...plain].flatMap((text) => knownNamesIn(text, { titledSurnames: true })),
    units,
  );
  const found: Array<Omit<ParsedQuote, "speaker"> & { cluster: number | null }> = [];
  let lastSpeaker: number | null = null;
  let lastPerson: number | null = null;
  // The speaker of the latest attributed quote: a pronoun or a bare quote that points back at
  // them, in the same unit or the next, is far more often right than one reaching further.
  let lastQuote: { speaker: number; unit: number } | null = null;
  let currentUnit = 0;
  // The clause before the speech verb being resolved, where a pronoun's own antecedent may sit.
  let tagClause: { masked: string; start: number; end: number } | null = null;
  const fresh = (target: number) => lastQuote !== null && lastQuote.speaker === target && currentUnit - lastQuote.unit <= 1;

  const resolve = (mention: Mention | null, rule: AttributionRule): Resolved | null => {
    if (!mention) return null;
    switch (mention.kind) {
      case "name": {
        const cluster = registry.resolveName(mention);
        const confidence = registry.isAmbiguous(mention.name) ? Math.min(CONFIDENCE[rule], CONFIDENCE.ambiguous) : CONFIDENCE[rule];
        return { speaker: cluster, rule, confidence };
      }
      case "pronoun": {
        const person = ["he", "she", "i", "we"].includes(mention.word);
        let target = person
          ? (lastPerson ?? lastSpeaker)
          : lastSpeaker !== null && registry.kindOf(lastSpeaker) === "organisation"
            ? lastSpeaker
            : registry.latestOrganisation;
        const gender: Gender | null = mention.word === "he" ? "male" : mention.word === "she" ? "female" : null;
        let mismatched = false;
        if (gender && target !== null && registry.genderOf(target) !== null && registry.genderOf(target) !== gender) {
          // "she" never means Mr Ali: the clause's own named subject ("Curie, 21, …, but she
          // admitted") if it fits, else the latest person the text pointed at who fits.
          mismatched = true;
          const opener = tagClause ? openingSubject(tagClause.masked, tagClause.start, tagClause.end) : null;
          let fitting: number | null = null;
          if (opener?.kind === "name" && !opener.organisation) {
            const cluster = registry.resolveName(opener);
            if (registry.genderOf(cluster) !== (gender === "male" ? "female" : "male")) fitting = cluster;
          }
          target = fitting ?? registry.latestPersonOfGender(gender, target) ?? target;
        }
        // Nobody quoted or spoken of yet: "he said" means the person the text last named in
        // passing ("skipper Mette Vang has a clear view …"), at a stale pronoun's confidence.
        if (target === null && person) {
          target = registry.latestPersonOfGender(gender ?? "male", -1);
          if (target !== null && gender === null && registry.genderOf(target) !== null) target = null;
          mismatched = target !== null;
        }
        if (target === null) return { speaker: null, rule: "none", confidence: 0 };
        registry.touch(target, null, null);
        const trusted = !mismatched && !mention.buried && fresh(target) && !registry.sharesName(target);
        if (gender && trusted) registry.learnGender(target, gender);
        return {
          speaker: target,
          rule: rule === "sentence-subject" ? "sentence-subject" : "pronoun",
          confidence: Math.min(CONFIDENCE[rule], trusted ? CONFIDENCE.pronoun : CONFIDENCE["pronoun-stale"]),
        };
      }
      case "description": {
        const cluster = registry.resolveDescription(mention.noun, mention.surface);
        return cluster === null ? null : { speaker: cluster, rule: "description", confidence: CONFIDENCE.description };
      }
      case "unnamed":
        return { speaker: null, rule: "none", confidence: 0 };
    }
  };

  units.forEach((unit, unitIndex) => {
    currentUnit = unitIndex;
    const spans = findQuoteSpans(unit);
    const masked = mask(plain[unitIndex], spans);
    const sentences = splitSentences(unit, spans);
    // Spans and sentences are both in text order: one pointer walks the spans once per unit.
    let nextSpan = 0;
    sentences.forEach((sentence, sentenceIndex) => {
      while (nextSpan < spans.length && spans[nextSpan].start < sentence.start) nextSpan++;
      const inSentence: QuoteSpan[] = [];
      for (let k = nextSpan; k < spans.length && spans[k].start < sentence.end; k++)
        if (spans[k].end <= sentence.end) inSentence.push(spans[k]);
      const verbs = speechVerbs(masked, sentence.start, sentence.end);
      const direct = inSentence.filter((span) =>
        isDirectSpeech(
          unit.slice(span.start, span.end),
          masked.slice(Math.max(sentence.start, span.open - 40), span.open),
          verbs.length > 0,
          unit.slice(span.close + 1, span.close + 16),
        ),
      );
      const nextSentenceResolved = () => {
        const next = sentences[sentenceIndex + 1];
        if (!next) return null;
        const nextVerbs = speechVerbs(masked, next.start, next.end);
        const verb = nextVerbs.at(-1);
        return verb ? resolve(subjectFor(masked, next.start, verb, next.end), "continuation") : null;
      };

      // “Where did the money go?” Berg recalls asking. A quote that is a sentence of its own, followed
      // by a sentence that opens with a subject and its speech verb and quotes nothing itself,
      // is tagged by that sentence.
      const nextSentenceTag = (): Resolved | null => {
        const next = sentences[sentenceIndex + 1];
        if (!next || masked.slice(next.start, next.end).includes(MASK)) return null;
        const verb = speechVerbs(masked, next.start, next.end)[0];
        if (!verb || tokens(masked, next.start, verb.start).length > 4) return null;
        const mention = subjectBefore(masked, next.start, verb.start);
        if (mention?.kind !== "name" && mention?.kind !== "pronoun") return null;
        const attempt = resolve(mention, "tag-after");
        return attempt && { ...attempt, confidence: attempt.confidence - 0.15 };
      };

      let bareSentence: boolean | null = null;
      const bare = () => (bareSentence ??= !/[^§\s\p{P}]/u.test(masked.slice(sentence.start, sentence.end)));
      for (const span of direct) {
        let resolved: Resolved | null = null;
        for (const candidate of candidateVerbs(masked, span, verbs)) {
          const mention = subjectFor(masked, clauseStartBefore(masked, sentence.start, candidate.verb.start), candidate.verb, sentence.end);
          if (!mention) continue;
          // An unnamed subject ("a banner read", "one analyst said") is an answer, but a
          // later candidate with a named subject is a better one.
          if (mention.kind === "unnamed") {
            resolved ??= { speaker: null, rule: "none", confidence: 0 };
            continue;
          }
          tagClause = { masked, start: sentence.start, end: candidate.verb.start };
          const attempt = resolve(mention, candidate.rule);
          tagClause = null;
          if (!attempt) continue;
          if (attempt.rule === candidate.rule && !candidate.verb.core) attempt.confidence -= 0.1;
          if (candidate.far) attempt.confidence -= 0.15;
          resolved = attempt;
          break;
        }
        if (!resolved && unnamedIntroduction(masked, sentence.start, span.open)) resolved = { speaker: null, rule: "none", confidence: 0 };
        if (!resolved && direct.length === 1 && bare()) resolved = nextSentenceTag();
        if (!resolved) {
          const opener = bare() ? null : leadingSubject(masked, sentence.start, span.open);
          // “… ,” X said. Then: "Minister Y “has opened the docks …”": a name whose predicate is the quote
          // is what the quote is about; the words go on being those of the speaker just quoted.
          const quotedAbout =
            opener?.kind === "name" &&
            lastQuote !== null &&
            currentUnit - lastQuote.unit <= 1 &&
            /^\s*$/.test(masked.slice(sentence.start, span.open).split(opener.surface).at(-1) ?? "x") &&
            /^\p{Ll}/u.test(unit.slice(span.start, span.end));
          if (quotedAbout) resolved = { speaker: lastQuote!.speaker, rule: "continuation", confidence: CONFIDENCE["continuation-stale"] };
          else if (opener) resolved = resolve(opener, "sentence-subject");
          if (!resolved || resolved.speaker === null) {
            if (lastSpeaker !== null)
              resolved = {
                speaker: lastSpeaker,
                rule: "continuation",
                confidence:
                  fresh(lastSpeaker) && !registry.sharesName(lastSpeaker) ? CONFIDENCE.continuation : CONFIDENCE["continuation-stale"],
              };
            else resolved = nextSentenceResolved() ?? { speaker: null, rule: "none", confidence: 0 };
          }
        }
        if (resolved.speaker !== null) {
          lastQuote = { speaker: resolved.speaker, unit: unitIndex };
          registry.markQuoted(resolved.speaker);
          lastSpeaker = resolved.speaker;
          if (registry.kindOf(resolved.speaker) === "person") lastPerson = resolved.speaker;
        }
        found.push({
          bullet: unitIndex,
          text: unit.slice(span.start, span.end),
          start: span.start,
          end: span.end,
          context: unit.slice(sentence.start, sentence.end),
          cluster: resolved.speaker,
          rule: resolved.rule,
          confidence: Math.max(0, Math.round(resolved.confidence * 100) / 100),
        });
      }

      // Who the sentence is about, for the pronouns that follow ("Callum Renshaw scored … he joked").
      if (direct.length === 0) {
        const verb = verbs[0];
        // The sentence's own subject is who a later "he" or "she" most likely means; the speech
        // verb's subject only when the sentence does not open with a name.
        const spoken = verb ? subjectFor(masked, clauseStartBefore(masked, sentence.start, verb.start), verb, sentence.end) : null;
        const opening = spoken?.kind === "name" || spoken?.kind === "pronoun" ? null : openingSubject(masked, sentence.start, sentence.end);
        const subject =
          opening?.kind === "name" && !opening.organisation ? opening : (spoken ?? leadingSubject(masked, sentence.start, sentence.end));
        if (subject?.kind === "name" && !subject.organisation) {
          const cluster = registry.resolveName(subject);
          lastPerson = cluster;
          if (verb) lastSpeaker = cluster;
        } else if (subject?.kind === "name") {
          // A body that is the subject ("The agency warned …") is what a later "it said" means.
          const cluster = registry.resolveName(subject);
          if (verb) lastSpeaker = cluster;
        } else if (subject?.kind === "description") {
          lastPerson = registry.resolveDescription(subject.noun, subject.surface) ?? lastPerson;
        }
      }

      // Surnames in passing, for a "she" that cannot mean the sentence's subject.
      for (const token of tokens(masked, sentence.start, sentence.end))
        if (
          isNameToken(token.text) &&
          !token.text.includes(".") &&
          (token.start === sentence.start || /\s/.test(masked[token.start - 1] ?? ""))
        )
          registry.notePassingSurname(token.text);
      for (const lone of loneNameRoles(masked, sentence.start, sentence.end)) registry.noteLoneRole(lone.name, lone.role);
      // "… since she became the party's candidate": a role stated as a predicate of
      // "he"/"she", for the person in play when the gender fits.
      const pronoun = /\b(he|she)(\s+(?:is|was|became|has become|had become)\s.*)$/is.exec(masked.slice(sentence.start, sentence.end));
      const predicated = pronoun && lastPerson !== null ? predicateRole(pronoun[2]) : null;
      if (predicated && registry.genderOf(lastPerson!) !== (pronoun![1].toLowerCase() === "he" ? "female" : "male"))
        registry.offerRole(lastPerson!, predicated);
      // Titled people mentioned in passing ("striker Callum Renshaw") are who "the 24-year-old" means next.
      const named = knownNamesIn(masked.slice(sentence.start, sentence.end));
      registry.seeNames(named.map((known) => known.name));
      for (const known of named) {
        if (known.role)
          registry.noteMention({ kind: "name", name: known.name, role: known.role, surface: known.surface, organisation: false });
      }
    });
  });

  const { speakers, indexOf } = registry.speakers();
  return {
    quotes: found.map(({ cluster, ...quote }) => ({ ...quote, speaker: cluster === null ? null : (indexOf.get(cluster) ?? null) })),
    speakers,
  };
}

const DATELINE =
  /^(?:\p{Lu}[\p{Lu}\p{Ll} .,'’-]{1,50}?\s*\(\p{Lu}[\p{L}]+\)|\p{Lu}[\p{Lu} .'’-]{2,30}(?:,[\p{L} .'’-]{2,40})?)\s*(?:—|–|--|-)\s*/u;

/**
 * The units with capitals that only mark a sentence start lowered, so "Now Cristian Gonzalez"
 * or "Finally" are not names: a sentence-opening word is lowered when the article also uses it
 * in lower case and never capitalised inside a sentence. Datelines ("SEOUL, South Korea — ",
 * "Washington (CNN) -- ") are lowered too. Lengths are kept, so offsets stay valid.
 */
function plainOpeners(units: string[]): string[] {
  const lower = new Set<string>();
  const capitalisedInside = new Set<string>();
  const openers: Array<Array<{ start: number; word: string }>> = [];
  units.forEach((unit) => {
    const starts = new Set(splitSentences(unit).map((s) => s.start));
    const found: Array<{ start: number; word: string }> = [];
    let previousEnd = 0;
    for (const token of tokens(unit)) {
      const opening =
        starts.has(token.start) || /[.!?:”"]\s*[“"]?\s*$/.test(unit.slice(Math.max(0, previousEnd), token.start)) || token.start <= 2;
      previousEnd = token.end;
      if (/^\p{Ll}+$/u.test(token.text)) lower.add(token.text);
      else if (/^\p{Lu}\p{Ll}+$/u.test(token.text)) {
        if (opening) found.push({ start: token.start, word: token.text });
        else capitalisedInside.add(token.text);
      }
    }
    openers.push(found);
  });
  return units.map((unit, u) => {
    let out = unit;
    const dateline = DATELINE.exec(unit);
    if (dateline) out = dateline[0].toLowerCase() + out.slice(dateline[0].length);
    for (const { start, word } of openers[u]) {
      const lowered = word.toLowerCase();
      // A subject is followed by its verb, never by a determiner: "Previously the restaurant's …".
      const beforeDeterminer = /^\s+(?:the|a|an|this|that|his|her|their|its)\s/.test(
        unit.slice(start + word.length, start + word.length + 7),
      );
      // An -ly word opening a sentence is an adverb ("Eventually", "Separately") unless the article capitalises it inside sentences.
      const adverb = /^\p{Lu}\p{Ll}{4,}ly$/u.test(word) && !capitalisedInside.has(word);
      if ((lower.has(lowered) && !capitalisedInside.has(word)) || NON_NAME_WORDS.has(lowered) || beforeDeterminer || adverb)
        out = out.slice(0, start) + lowered + out.slice(start + word.length);
    }
    return out;
  });
}

function mask(text: string, spans: QuoteSpan[]): string {
  // Work on UTF-16 indices: rebuild from slices so offsets stay aligned with `text`.
  let out = "";
  let from = 0;
  for (const span of spans) {
    out += text.slice(from, span.open) + MASK.repeat(Math.min(text.length, span.close + 1) - span.open);
    from = Math.min(text.length, span.close + 1);
  }
  return out + text.slice(from);
}

/**
 * The speech verbs a quote may belong to, best first: the tag right after it (“…,” she
 * said), then the nearest "said"-like verb before it (X said: “…”), then other speech verbs
 * before it, then any later one; "according to" names a source, so it comes last.
 */
const VERB_WINDOW = 6;

function candidateVerbs(masked: string, span: QuoteSpan, verbs: Verb[]): Array<{ verb: Verb; rule: AttributionRule; far: boolean }> {
  const source = (verb: Verb) => verb.text.toLowerCase().startsWith("according");
  // Only the verbs nearest the quote can be its tag; a window keeps a sentence of thousands
  // of quotes linear.
  let first = 0;
  let last = verbs.length;
  while (first < last) {
    const middle = (first + last) >> 1;
    if (verbs[middle].end <= span.open) first = middle + 1;
    else last = middle;
  }
  const nearby = verbs.slice(Math.max(0, first - VERB_WINDOW), first + VERB_WINDOW);
  const after = nearby.filter((verb) => verb.start > span.close && !source(verb));
  const before = nearby.filter((verb) => verb.end <= span.open && !source(verb)).reverse();
  const immediate = after.find((verb) => {
    const between = masked.slice(span.close + 1, verb.start);
    return !between.includes(MASK) && tokens(between).length <= 6 && (between === "" || /^[\s,—–-]/.test(between));
  });
  const inner = masked.slice(span.close - 1, span.close);
  const quoteEndsClause = /[,!?…—–-]/.test(inner) || /^\s*[,—–-]/.test(masked.slice(span.close + 1, span.close + 8));
  const ordered: Array<{ verb: Verb; rule: AttributionRule; far: boolean }> = [];
  if (immediate && (quoteEndsClause || before.length === 0)) ordered.push({ verb: immediate, rule: "tag-after", far: false });
  for (const verb of [...before.filter((v) => v.core), ...before.filter((v) => !v.core)])
    ordered.push({ verb, rule: "tag-before", far: false });
  for (const verb of after)
    if (verb !== immediate || !ordered.some((o) => o.verb === verb)) ordered.push({ verb, rule: "tag-after", far: verb !== immediate });
  for (const verb of nearby.filter(source)) ordered.push({ verb, rule: verb.start > span.close ? "tag-after" : "tag-before", far: true });
  return ordered;
}

/**
 * A quote introduced by a colon after a clause about someone unnamed: "After the talk, a
 * question came from a member of the audience: “…”", "One caller had a suggestion: “…”".
 * With no speech verb to name a speaker, the source is nobody in play.
 */
function unnamedIntroduction(masked: string, sentenceStart: number, quoteOpen: number): boolean {
  const before = masked.slice(Math.max(sentenceStart, quoteOpen - 160), quoteOpen);
  if (!/:\s*$/.test(before) || before.includes(MASK)) return false;
  const clause = before.slice(before.lastIndexOf(",") + 1);
  return /^\s*(?:a|an|one|another|someone|somebody)\s/i.test(clause);
}

/** The subject a clause opens with, after an introductory phrase that ends in a comma ("Earlier Saturday, Yoon …"). */
function openingSubject(masked: string, from: number, to: number): Mention | null {
  const direct = leadingSubject(masked, from, to);
  // "The leader of Ennahda, Rachid Ghannouchi, condemned …": the name in apposition is the subject.
  const described = /^\s*(?:the|a|an)\s+([^,§]{2,60}),\s+/i.exec(masked.slice(from, Math.min(to, from + 90)));
  if ((direct === null || direct.kind === "description") && described && described[1].split(/\s+/).some((word) => isRoleWord(word))) {
    const named = leadingSubject(masked, from + described[0].length, to);
    if (
      named?.kind === "name" &&
      named.name.includes(" ") &&
      masked.slice(from + described[0].length + named.surface.length).startsWith(",")
    )
      return { ...named, role: named.role ?? cleanRole(described[1]) };
  }
  if (direct) return direct;
  // A subordinate clause ("Once Fetter arrived in Building 24, Lorenz …") may run longer than an introductory phrase.
  const subordinate = /^\s*(?:once|when|after|as|while|because|although|though|before|until|since|if)\s/i.test(
    masked.slice(from, from + 12),
  );
  const comma = masked.slice(from, Math.min(to, from + (subordinate ? 160 : 80))).indexOf(",");
  if (comma < 0 || tokens(masked, from, from + comma).length > (subordinate ? 14 : 5)) return null;
  return leadingSubject(masked, from + comma + 1, to);
}

/** The clause a verb's subject can sit in: back to the last quote, semicolon or colon. */
function clauseStartBefore(masked: string, sentenceStart: number, verbStart: number): number {
  let start = sentenceStart;
  for (let i = verbStart - 1; i >= sentenceStart; i--) {
    if (masked[i] === MASK || masked[i] === ";" || masked[i] === ":" || masked[i] === "(") {
      start = i + 1;
      break;
    }
  }
  return start;
}

function subjectFor(masked: string, clauseStart: number, verb: Verb, sentenceEnd: number): Mention | null {
  const before = masked.slice(clauseStart, verb.start);
  // Passive: "it was described as “…”" names no speaker unless a "by" phrase does.
  if (/\b(was|were|is|are|been|being|be)\s+$/i.test(before)) {
    // "described as “heartbreaking” by the conservation department": the agent may follow the quote.
    const agent = /^(?:\s+as\s+§+)?\s+by\s+/i.exec(masked.slice(verb.end, Math.min(sentenceEnd, verb.end + 400)));
    return agent ? subjectAfter(masked, verb.end + agent[0].length, sentenceEnd) : { kind: "unnamed" };
  }
  // "…, which tried to win votes by saying that …", "she'd close every talk by saying, “…”": the
  // subject of "by saying" is the subject of its clause, the relative's antecedent or a pronoun.
  if (/ing$/.test(verb.text) && /\b(?:by|when|before|after|while)\s+$/i.test(before)) {
    const relative = /,\s*(?:which|who)\s[^,]*$/i.exec(before);
    const antecedent = relative ? subjectBefore(masked, clauseStart, clauseStart + relative.index) : null;
    if (antecedent && antecedent.kind !== "unnamed") return antecedent;
    const pronoun = tokens(before).findLast((token) => /^(?:he|she|they|it|we)(?:['’](?:d|ll))?$/i.test(token.text));
    if (pronoun) return { kind: "pronoun", word: pronoun.text.toLowerCase().replace(/['’].*$/, ""), buried: true };
  }
  // "Earlier Saturday, Yoon apologized …, saying they “…”": a participle's subject opens the sentence.
  if (/ing$/.test(verb.text) && /,\s*$/.test(before)) {
    const opener = openingSubject(masked, clauseStart, verb.start);
    if (opener && opener.kind !== "unnamed") return opener;
  }
  // "…, said Tom Forte": a said-verb right after a clause's comma has its subject after it.
  const afterComma = /,\s*$/.test(before) && /^(said|says|added|adds|wrote|writes|explained|noted|continued)$/.test(verb.text);
  if (afterComma && tokens(before).length >= 3) {
    const subject = subjectBefore(masked, clauseStart, verb.start);
    if (subject && subject.kind !== "unnamed") return subject;
    const after = subjectAfter(masked, verb.end, sentenceEnd);
    if (after && after.kind !== "unnamed") return after;
  }
  const inverted = tokens(before).length === 0 || verb.text.toLowerCase().startsWith("according");
  if (inverted) return subjectAfter(masked, verb.end, sentenceEnd);
  return (
    subjectBefore(masked, clauseStart, verb.start) ?? (/^(said|says)$/.test(verb.text) ? subjectAfter(masked, verb.end, sentenceEnd) : null)
  );
}

/**
 * A role in apposition after a name: "Marc Olsen, senior policy director at the Budget Office,"
 * or "Han Dong-hoon, the leader of the PPP,". The phrase must open with a title (after an
 * optional article and modifiers), so "Bassi, 43 years a fisherman," gives nothing.
 */
const ROLE_LEAD_WORDS = new Set(["managing", "acting", "founding", "presiding", "leading", "retired", "elected"]);

function appositiveRole(after: string): string | null {
  // A credential after the name ("Stephen Calderwood, MD, president of …") is not the role.
  const credential = /^,\s+(?:MD|PhD|Ph\.D\.|DPhil|MBA|Esq\.?|QC|KC|RN)(?=,)/u.exec(after);
  if (credential) after = after.slice(credential[0].length);
  // The phrase ends at a comma, a sentence end (not the period of an initial: "Dana F. Besecker"),
  // or where a second role or a clause begins ("fellow at X and a co-founder of Y").
  // An age ("Tove, 34, a nurse at …") or an adverb of time ("now a senior lecturer at …")
  // may come between the name and the role.
  const age = /^,\s+\d{1,3}(?=,)/.exec(after);
  if (age) after = after.slice(age[0].length);
  const phrase =
    /^,\s+(?:(?:now|currently|formerly|then|also)\s+)?(?:(?:the|a|an)\s+)?([^,;:()§“”"]{3,100}?)(?=,|;|(?<!\b\p{Lu})\.\s|\.$|\s+(?:who|which|said|says)\b|\s+and\s+(?:a|an|the)\s|$)/u.exec(
      after,
    );
  if (!phrase) return null;
  // "the grandson of Ada Brun and council member": of two coordinated descriptions, the one that is a title.
  for (const part of phrase[1].split(/\s+and\s+/)) {
    const role = headedRole(part);
    if (role) return role;
  }
  return null;
}

/**
 * A phrase that is a role: a title within its first four words, whose modifiers are never a
 * number or a verb form ("Bassi, 43 years a fisherman"), and, with `placed`, nothing after the
 * title but a place ("director at X", "head of Y") or more of the title ("vice president").
 */
function headedRole(phrase: string, options: { placed?: boolean } = {}): string | null {
  const words = phrase.split(/\s+/);
  const head = words.findIndex((word) => isRoleWord(word));
  // Words before the title are its modifiers ("Tunisia country director", "oceans campaigner").
  const verbForm = (word: string) => (/\p{Ll}(?:ed|ing|ly)$/u.test(word) && !ROLE_LEAD_WORDS.has(word)) || SPEECH_VERBS.has(word);
  if (head < 0 || head > 3 || words.slice(0, head).some((word) => /\d/.test(word) || /^(?:a|an|the)$/i.test(word) || verbForm(word)))
    return null;
  if (options.placed) {
    let end = head + 1;
    while (end < words.length && isRoleWord(words[end])) end++;
    if (end < words.length && !/^(?:of|at|for|with|in)$/.test(words[end])) return null;
    // "a student at the time", "a teacher for years": a time, not a place, ends the title.
    if (
      end < words.length &&
      /^(?:the\s+)?(?:time|moment|age|end|start|beginning|weekend|morning|evening|night|years?|months?|weeks?|days?|\d)/i.test(
        words.slice(end + 1).join(" "),
      )
    )
      return cleanRole(words.slice(0, end).join(" "));
  }
  return cleanRole(phrase);
}

/**
 * A role given with "as" after the name: "Oren Blake, who tracks grain as a senior
 * analyst at Fenwick Partners" or "Tolle stepping down as chairwoman". Only after the name's own verb or
 * relative clause, and only a phrase that ends at the clause or places the person, so "Lund
 * said as the president looked on" gives nothing.
 */
function asRole(after: string): string | null {
  const phrase =
    /^(?:,\s+who\s+[^,;:.§“”"]{0,60}?\s+|\s+(?:\p{Ll}[\p{Ll}’'-]*\s+){1,3}?)as\s+(?:(?:a|an|the)\s+)?([^,;:()§“”"]{2,100}?)(?=,|;|(?<!\b\p{Lu})\.\s|\.$|\s+(?:on|since|until|after|before|when|who|which|and|but)\b|$)/u.exec(
      after,
    );
  return phrase ? headedRole(phrase[1], { placed: true }) : null;
}

/**
 * A role stated as a predicate right after its subject: "Ada Brun is the director of the
 * Harbour Trust", "… since she became the party's candidate". Only a title that ends its phrase
 * or places the person, so "he is a big fan of jazz" gives nothing.
 */
function predicateRole(after: string): string | null {
  const predicate =
    /^\s+(?:is|was|became|has become|had become)\s+(?:now\s+)?(?:the|a|an)\s+([^,;:§“”"]{3,80}?)(?=[,;:§“”"]|(?<!\b\p{Lu})\.(?:\s|$)|\s+(?:who|which|that|and|but|when|since|because)\s|$)/u.exec(
      after,
    );
  return predicate ? headedRole(predicate[1], { placed: true }) : null;
}

/** Verbs of holding an office, and the title each one names: "who heads the bureau" → "head of the bureau". */
const OFFICE_VERBS: Record<string, string> = {
  heads: "head",
  headed: "head",
  leads: "leader",
  led: "leader",
  chairs: "chair",
  chaired: "chair",
  directs: "director",
  manages: "manager",
  owns: "owner",
  founded: "founder",
  coaches: "coach",
  captains: "captain",
};

/**
 * A role given by a relative clause of office: "Théo Vanterpool, who heads the emergency
 * department at Vesselle General," → "head of the emergency department at Vesselle General".
 * Only verbs that name an office; "who runs a bakery" gives nothing.
 */
function relativeRole(after: string): string | null {
  const clause =
    /^,\s+who\s+(?:now\s+|also\s+|currently\s+)?(\p{Ll}+)\s+((?:the|a|an)\s+[^,;:()§“”"]{3,90}?|\p{Lu}[^,;:()§“”"]{2,90}?)(?=,|;|(?<!\b\p{Lu})\.(?:\s|$)|\s+(?:and|but|since|when|until)\s|$)/u.exec(
      after,
    );
  const title = clause ? OFFICE_VERBS[clause[1]] : undefined;
  return title ? cleanRole(`${title} of ${clause![2]}`) : null;
}

/** A lone name with a role in apposition ("Tove, 34, a nurse at …"): the person is known by the name alone. */
function loneNameRoles(masked: string, from: number, to: number): Array<{ name: string; role: string }> {
  const out: Array<{ name: string; role: string }> = [];
  const words = tokens(masked, from, to);
  for (const [k, word] of words.entries()) {
    if (masked[word.end] !== "," || !isNameToken(word.text)) continue;
    const previous = words[k - 1];
    if (previous && isNameToken(previous.text) && /^\s+$/.test(masked.slice(previous.end, word.start))) continue;
    const role = appositiveRole(masked.slice(word.end, Math.min(to, word.end + 120)));
    if (role) out.push({ name: word.text, role });
  }
  return out;
}

/** Full names anywhere in the article, with the title printed before them, for surname-only references. */
function knownNamesIn(
  text: string,
  options: { titledSurnames?: boolean } = {},
): Array<{ name: string; role: string | null; surface: string }> {
  const words = tokens(text);
  const found: Array<{ name: string; role: string | null; surface: string }> = [];
  let i = 0;
  while (i < words.length) {
    if (!isNameToken(words[i].text)) {
      i++;
      continue;
    }
    let j = i;
    while (
      j + 1 < words.length &&
      /^\s$/.test(text.slice(words[j].end, words[j + 1].start)) &&
      (isNameToken(words[j + 1].text) || isParticle(words[j + 1].text))
    )
      j++;
    let run = words.slice(i, j + 1).map((w) => w.text);
    const tail = titleTailLength(
      words.slice(Math.max(0, i - 2), i).map((w) => w.text),
      run,
    );
    let ofTitle: string | null = null;
    if (tail > 0) {
      let k = i - 2;
      while (k > 0 && k > i - 5 && /^\s+$/.test(text.slice(words[k - 1].end, words[k].start)) && isNameToken(words[k - 1].text)) k--;
      ofTitle = cleanRole(text.slice(words[k].start, words[i + tail - 1].end));
      run = run.slice(tail);
      i += tail;
    }
    const split = splitRoleAndName(run);
    // "a Margaret Hamilton Lego minifigure" names a thing, not a fuller form of a person.
    const indefinite = i > 0 && /^(a|an)$/i.test(words[i - 1].text);
    // "President Obama": a title before a lone surname still tells that person's role.
    if (split.name.length === 1 && split.role && !indefinite && options.titledSurnames)
      found.push({ name: split.name[0], role: split.role, surface: text.slice(words[i].start, words[j].end) });
    if (split.name.length >= 2 && !indefinite) {
      let role = split.role ?? ofTitle;
      if (!role && i > 0) {
        // Title words right before the name, in the same clause: "the hydrologist Ilsa
        // Moberg", "the health minister, Ada Brun", "a meteorologist named Ada Brun"; never "got
        // press releases,” said Tomas Reyne" or "to assist. Bram Ekdal".
        let b = i;
        while (
          b > 0 &&
          i - b < 4 &&
          !/^(?:the|a|an|of|in|at|for|to|by|from|with|on)$/i.test(words[b - 1].text) &&
          new RegExp(b === i ? "^,?\\s+$" : "^\\s+$").test(text.slice(words[b - 1].end, words[b].start))
        )
          b--;
        const before = words.slice(b, i).map((w) => w.text);
        if (/^(?:named|called)$/.test(before.at(-1) ?? "")) before.pop();
        const titled = splitRoleAndName([...before, ...run]);
        if (titled.name.length === run.length) role = titled.role;
      }
      // An apposition that places the person ("co-director of the Lorenz Center") says more than
      // a one-word title before the name ("the geophysicist Daniel Rothman").
      const appositive = appositiveRole(text.slice(words[j].end, words[j].end + 120));
      if (!role || (appositive && !role.includes(" ") && /\s(?:of|at|for|with)\s/.test(appositive))) role = appositive ?? role;
      const following = text.slice(words[j].end, words[j].end + 160);
      role ??= asRole(following) ?? relativeRole(following) ?? predicateRole(following);
      found.push({ name: split.name.join(" "), role, surface: text.slice(words[i].start, words[j].end) });
    }
    i = j + 1;
  }
  return found;
}
