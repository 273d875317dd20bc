import { type Mention } from "./mentions";
import { FEMALE_GIVEN_NAMES, FEMALE_HONORIFICS, MALE_GIVEN_NAMES, MALE_HONORIFICS } from "./lexicon";
import { nameKey, saysMore, surnameOf, tokenKey } from "./names";
import { type ParsedSpeaker } from "./types";

interface Cluster extends ParsedSpeaker {
  key: string;
  surnameKey: string;
  /** Order of the last time the text pointed at this speaker. */
  lastSeen: number;
  quoted: boolean;
  /** Learnt from an honorific, a given name, or a pronoun that pointed at this person. */
  gender: Gender | null;
}

export type Gender = "male" | "female";

interface KnownName {
  name: string;
  role: string | null;
  surface: string;
}

/**
 * The people and organisations one article mentions, so "Witkoff" later in the story is the
 * "US Special Envoy Steve Witkoff" of its caption, and two Renshaws stay two people.
 */
export class SpeakerRegistry {
  private readonly clusters: Cluster[] = [];
  private clock = 0;
  // Indexes, so each lookup costs the same however many people the article names.
  private readonly byKey = new Map<string, number>();
  private readonly peopleByRoleWord = new Map<string, number[]>();
  private latestPerson: number | null = null;
  /** The last few people pointed at, latest last: bounded, so a pronoun's search stays constant-time. */
  private readonly recentPeople: number[] = [];
  private readonly seenAt = new Map<string, number>();
  /** The body the text last pointed at, for "it said". */
  latestOrganisation: number | null = null;
  private readonly peopleBySurname = new Map<string, number[]>();
  private readonly organisationsByWord = new Map<string, number[]>();
  private readonly knownBySurname = new Map<string, KnownName[]>();
  private readonly knownByFirst = new Map<string, KnownName[]>();
  private readonly knownRoleByKey = new Map<string, string>();
  private readonly knownByPrefix = new Map<string, Set<string>>();

  /** Surnames the article gives an honorific anywhere ("Mr Ali", "Miss Ellen Fetter"); null when it gives both. */
  private readonly soleKnownBySurname = new Map<string, KnownName[] | null>();
  private readonly genderBySurname = new Map<string, Gender | null>();

  constructor(knownNames: KnownName[], texts: string[] = []) {
    for (const text of texts)
      for (const match of text.matchAll(/\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord)\.?\s+((?:\p{Lu}[\p{L}’'-]*\.?\s+)*\p{Lu}[\p{L}’'-]+)/gu)) {
        const gender: Gender = MALE_HONORIFICS.has(match[1].toLowerCase()) ? "male" : "female";
        const key = tokenKey(surnameOf(match[2]));
        const seen = this.genderBySurname.get(key);
        this.genderBySurname.set(key, seen === undefined || seen === gender ? gender : null);
      }
    for (const known of knownNames) {
      const tokens = known.name.split(/\s+/);
      const key = nameKey(known.name);
      if (tokens.length >= 2) {
        push(this.knownBySurname, tokenKey(surnameOf(tokens.join(" "))), known);
        push(this.knownByFirst, key.split(" ")[0], known);
      }
      const held = this.knownRoleByKey.get(key);
      if (known.role && (!held || saysMore(held, known.role))) this.knownRoleByKey.set(key, known.role);
      const words = key.split(" ");
      for (let n = 1; n < words.length; n++) {
        const prefix = words.slice(0, n).join(" ");
        const names = this.knownByPrefix.get(prefix) ?? new Set<string>();
        names.add(known.name);
        this.knownByPrefix.set(prefix, names);
      }
    }
  }

  /** Resolves a name mention to a cluster, creating one when the article has not met it yet. */
  resolveName(mention: Extract<Mention, { kind: "name" }>): number {
    this.clock++;
    const tokens = mention.name.split(/\s+/);
    if (mention.organisation) {
      // "Reid’s campaign" keeps its owner's fullest name: "Harry Reid’s campaign".
      const owned = /^(.+)[’']s (\S+)$/u.exec(mention.name);
      const name = owned ? `${this.fullestName(owned[1])}'s ${owned[2]}` : this.expandOrganisation(mention.name);
      return this.upsert(name, "organisation", mention.role, mention.surface);
    }
    if (tokens.length >= 2) {
      const key = nameKey(mention.name);
      const same = this.byKey.get(key);
      if (same !== undefined) return this.touch(same, mention.role, mention.surface);
      // A surname-only speaker met earlier now gets its full name.
      const provisional = (this.peopleBySurname.get(tokenKey(surnameOf(tokens.join(" ")))) ?? []).find((i) => {
        const c = this.clusters[i];
        return c.key === c.surnameKey;
      });
      if (provisional !== undefined) {
        const cluster = this.clusters[provisional];
        this.byKey.delete(cluster.key);
        Object.assign(cluster, { name: mention.name, key });
        this.byKey.set(key, provisional);
        return this.touch(provisional, mention.role, mention.surface);
      }
      return this.upsert(mention.name, "person", mention.role, mention.surface);
    }
    // Surname (or single name) only: the most recently seen person with that surname.
    const surnameKey = tokenKey(tokens[0]);
    const candidates = this.peopleBySurname.get(surnameKey) ?? [];
    if (candidates.length > 0) {
      const best = candidates.reduce((a, b) => (this.clusters[b].lastSeen > this.clusters[a].lastSeen ? b : a));
      return this.touch(best, mention.role, mention.surface);
    }
    let known = this.knownBySurname.get(surnameKey) ?? [];
    // "Lee" for "Lee Jae-myung": names that put the family name first.
    if (known.length === 0) known = this.knownByFirst.get(nameKey(mention.name)) ?? [];
    let distinct = [...new Set(known.map((k) => nameKey(k.name)))];
    if (distinct.length > 1) {
      // Two people share the name: the one the text met last, if it met either.
      const latest = distinct.reduce((a, b) => ((this.seenAt.get(b) ?? 0) > (this.seenAt.get(a) ?? 0) ? b : a));
      if (this.seenAt.has(latest)) {
        known = known.filter((k) => nameKey(k.name) === latest);
        distinct = [latest];
      }
    }
    if (distinct.length === 1) {
      const index = this.upsert(known[0].name, "person", mention.role ?? known.find((k) => k.role)?.role ?? null, known[0].surface);
      return this.touch(index, null, mention.surface);
    }
    return this.upsert(mention.name, "person", mention.role, mention.surface);
  }

  /** A lone name that more than one full name in the article ends or starts with ("Lee" for two Lees). */
  isAmbiguous(name: string): boolean {
    if (name.includes(" ")) return false;
    const distinct = (known: KnownName[] | undefined) => new Set((known ?? []).map((k) => nameKey(k.name))).size;
    return distinct(this.knownBySurname.get(tokenKey(name))) + distinct(this.knownByFirst.get(nameKey(name))) > 1;
  }

  /** A person another person in the article shares a surname (or, for a lone name, a first name) with. */
  sharesName(index: number): boolean {
    const cluster = this.clusters[index];
    if (cluster.kind !== "person") return false;
    const tokens = cluster.name.split(/\s+/);
    const distinct = (known: KnownName[] | undefined) => new Set((known ?? []).map((k) => nameKey(k.name))).size;
    if (tokens.length === 1) return this.isAmbiguous(cluster.name);
    return distinct(this.knownBySurname.get(cluster.surnameKey)) > 1;
  }

  /** Full names seen in a sentence, so a lone name later goes to the one met most recently. */
  seeNames(names: string[]): void {
    for (const name of names) this.seenAt.set(nameKey(name), ++this.clock);
  }

  /** A name seen in passing: it becomes the most recent person, without becoming a speaker. */
  noteMention(mention: Extract<Mention, { kind: "name" }>): void {
    this.resolveName(mention);
  }

  /** "Brightwell" (from "Brightwell’s board") is the "Brightwell Robotics" the article named in full. */
  private expandOrganisation(name: string): string {
    const longer = this.knownByPrefix.get(nameKey(name));
    return longer?.size === 1 ? [...longer][0] : name;
  }

  /** "the minister", "the 24-year-old": the latest person whose role fits, else the latest person. */
  resolveDescription(noun: string, surface: string): number | null {
    if (this.latestPerson === null) return null;
    const byRole = this.peopleByRoleWord.get(noun) ?? [];
    const best =
      byRole.length > 0 ? byRole.reduce((a, b) => (this.clusters[b].lastSeen > this.clusters[a].lastSeen ? b : a)) : this.latestPerson;
    this.clock++;
    return this.touch(best, null, surface);
  }

  /** Marks a cluster as mentioned now (for pronouns and descriptions that follow). */
  touch(index: number, role: string | null, surface: string | null): number {
    const cluster = this.clusters[index];
    cluster.lastSeen = ++this.clock;
    if (cluster.kind === "person") this.notePerson(index);
    else this.latestOrganisation = index;
    if (role) this.offerRole(index, role);
    // "Ines Coll" adds nothing to an earlier "harbourmaster Ines Coll".
    if (surface && !cluster.mentions.some((m) => m === surface || (m.endsWith(` ${surface}`) && surface.includes(" "))))
      cluster.mentions.push(surface);
    return index;
  }

  private notePerson(index: number): void {
    this.latestPerson = index;
    const at = this.recentPeople.indexOf(index);
    if (at >= 0) this.recentPeople.splice(at, 1);
    this.recentPeople.push(index);
    if (this.recentPeople.length > 8) this.recentPeople.shift();
  }

  /** The first role stated for a person stays, unless a later one says more (`saysMore`). */
  offerRole(index: number, role: string): void {
    const held = this.clusters[index].role;
    if (!held || saysMore(held, role)) this.setRole(index, role);
  }

  /**
   * A role stated for a lone name in passing ("Tove, 34, a nurse at …"): only for a person
   * the article already knows, so a first name never opens a speaker of its own.
   */
  noteLoneRole(name: string, role: string): void {
    const index = this.byKey.get(nameKey(this.fullestName(name))) ?? this.byKey.get(nameKey(name));
    if (index !== undefined && this.clusters[index].kind === "person") this.offerRole(index, role);
  }

  private setRole(index: number, role: string): void {
    const cluster = this.clusters[index];
    cluster.role = role;
    if (cluster.kind === "person") for (const word of new Set(role.toLowerCase().split(/\s+/))) push(this.peopleByRoleWord, word, index);
  }

  /** The gender the article gives a person: an honorific ("Mr Ali"), a given name, or a pronoun learnt earlier. */
  genderOf(index: number): Gender | null {
    const cluster = this.clusters[index];
    if (cluster.kind !== "person") return null;
    if (cluster.gender) return cluster.gender;
    for (const surface of [...cluster.mentions, cluster.name]) {
      const first = surface.split(/\s+/)[0].toLowerCase().replace(/\.$/, "");
      if (MALE_HONORIFICS.has(first)) return "male";
      if (FEMALE_HONORIFICS.has(first)) return "female";
    }
    const bySurname = this.genderBySurname.get(cluster.surnameKey);
    if (bySurname) return bySurname;
    const given = this.fullestName(cluster.name).split(/\s+/)[0].toLowerCase();
    if (MALE_GIVEN_NAMES.has(given)) return "male";
    if (FEMALE_GIVEN_NAMES.has(given)) return "female";
    return null;
  }

  learnGender(index: number, gender: Gender): void {
    const cluster = this.clusters[index];
    if (cluster.kind === "person" && this.genderOf(index) === null) cluster.gender = gender;
  }

  /**
   * A surname met in passing ("Once Fetter arrived, …") that one full name in the article ends
   * with: it joins the recent people a mismatched "she" may mean, without becoming the latest
   * person that a description or a continuation would take.
   */
  notePassingSurname(token: string): void {
    const surname = tokenKey(token);
    // Cached per surname: a name repeated on every line must not make each lookup longer.
    let known = this.soleKnownBySurname.get(surname);
    if (known === undefined) {
      const all = this.knownBySurname.get(surname) ?? [];
      known = new Set(all.map((k) => nameKey(k.name))).size === 1 ? [all[0], ...all.filter((k) => k.role).slice(0, 1)] : null;
      this.soleKnownBySurname.set(surname, known);
    }
    if (known === null) return;
    const latest = this.latestPerson;
    const index =
      this.byKey.get(nameKey(known[0].name)) ??
      this.upsert(known[0].name, "person", known.find((k) => k.role)?.role ?? null, known[0].surface);
    this.clusters[index].lastSeen = ++this.clock;
    this.notePerson(index);
    this.latestPerson = latest;
  }

  /** The person the text pointed at last whose gender does not contradict `gender`, other than `except`. */
  latestPersonOfGender(gender: Gender, except: number): number | null {
    for (let k = this.recentPeople.length - 1; k >= 0; k--) {
      const i = this.recentPeople[k];
      const known = this.genderOf(i);
      if (i !== except && (known === null || known === gender)) return i;
    }
    return null;
  }

  kindOf(index: number): "person" | "organisation" {
    return this.clusters[index].kind;
  }

  markQuoted(index: number): void {
    this.clusters[index].quoted = true;
  }

  /** Speakers with at least one quote, and a map from cluster index to their position. */
  speakers(): { speakers: ParsedSpeaker[]; indexOf: Map<number, number> } {
    const indexOf = new Map<number, number>();
    const speakers: ParsedSpeaker[] = [];
    const byName = new Map<string, number>();
    this.clusters.forEach((cluster, i) => {
      if (!cluster.quoted) return;
      // The fullest form of the name the article gives is the canonical one; two clusters that
      // turn out to be one person ("Fiona", "Fiona Parry") become one speaker.
      const name = cluster.kind === "person" ? this.fullestName(cluster.name) : cluster.name;
      const key = `${cluster.kind}:${nameKey(name)}`;
      const same = byName.get(key);
      if (same !== undefined) {
        indexOf.set(i, same);
        const speaker = speakers[same];
        speaker.role ??= cluster.role;
        for (const m of cluster.mentions) if (!speaker.mentions.includes(m)) speaker.mentions.push(m);
        return;
      }
      byName.set(key, speakers.length);
      indexOf.set(i, speakers.length);
      // "President Obama" elsewhere gives "Barack Obama" his role, unless two people share the surname.
      const known =
        cluster.kind === "person"
          ? (this.knownRoleByKey.get(nameKey(name)) ?? (this.sharesName(i) ? null : (this.knownRoleByKey.get(cluster.surnameKey) ?? null)))
          : null;
      const role = cluster.role && known && saysMore(cluster.role, known) ? known : (cluster.role ?? known);
      speakers.push({ name, kind: cluster.kind, role, mentions: [...cluster.mentions] });
    });
    return { speakers, indexOf };
  }

  /**
   * The one longer name in the article that this name starts or ends ("Te Kaurinui" → "Te
   * Kaurinui Robert Parata", "Fiona" → "Fiona Parry", "Danin" → "Robert M. Danin"); the name
   * itself when there is none or more than one.
   */
  fullestName(name: string): string {
    const key = nameKey(name);
    const words = key.split(" ");
    const longer = new Map<string, string>();
    const consider = (known: KnownName[] | undefined) => {
      for (const k of known ?? []) {
        const other = nameKey(k.name);
        const otherWords = other.split(" ");
        if (otherWords.length <= words.length) continue;
        if (other.startsWith(`${key} `) || other.endsWith(` ${key}`)) longer.set(other, k.name);
      }
    };
    consider(this.knownBySurname.get(tokenKey(surnameOf(name))));
    // Names that start with this one, from the prefix index: a first name that hundreds of
    // people share ("Mara") must not make each lookup walk all of them.
    for (const longerName of this.knownByPrefix.get(key) ?? []) longer.set(nameKey(longerName), longerName);
    if (longer.size !== 1) return name;
    return [...longer.values()][0];
  }

  private upsert(name: string, kind: "person" | "organisation", role: string | null, surface: string): number {
    const key = kind === "organisation" ? `org:${nameKey(name)}` : nameKey(name);
    let existing = this.byKey.get(key);
    if (existing === undefined && kind === "organisation") {
      // A body named more or less fully shares at least one word with the other form.
      const candidates = new Set(
        nameKey(name)
          .split(" ")
          .flatMap((word) => this.organisationsByWord.get(word) ?? []),
      );
      existing = [...candidates].sort((a, b) => a - b).find((i) => sameOrganisation(this.clusters[i].name, name));
    }
    if (existing !== undefined) return this.touch(existing, role, surface);
    // The full name may be known from elsewhere in the article (the caption, an earlier bullet).
    if (kind === "person") role = role ?? this.knownRoleByKey.get(key) ?? null;
    const tokens = name.split(/\s+/);
    const index = this.clusters.length;
    this.byKey.set(key, index);
    if (kind === "person") push(this.peopleBySurname, tokenKey(surnameOf(tokens.join(" "))), index);
    else for (const word of new Set(nameKey(name).split(" "))) push(this.organisationsByWord, word, index);
    this.clusters.push({
      name,
      kind,
      role: null,
      mentions: [surface],
      key,
      surnameKey: tokenKey(surnameOf(tokens.join(" "))),
      lastSeen: ++this.clock,
      quoted: false,
      gender: null,
    });
    if (role) this.setRole(index, role);
    if (kind === "person") this.notePerson(index);
    else this.latestOrganisation = index;
    return index;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** "the defence ministry" and "Veldorian Defence Ministry" are one body. */
function sameOrganisation(a: string, b: string): boolean {
  const wordsA = nameKey(a).split(" ");
  const wordsB = nameKey(b).split(" ");
  const [short, long] = wordsA.length <= wordsB.length ? [wordsA, wordsB] : [wordsB, wordsA];
  return short.length > 0 && short.every((word) => long.includes(word));
}
