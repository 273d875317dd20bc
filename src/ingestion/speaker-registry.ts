import { type Mention } from "./mentions";
import { nameKey, tokenKey } from "./names";
import { type ParsedSpeaker } from "./types";

interface Cluster extends ParsedSpeaker {
  key: string;
  surnameKey: string;
  /** Order of the last time the text pointed at this speaker. */
  lastSeen: number;
  quoted: boolean;
}

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

  constructor(private readonly knownNames: KnownName[]) {}

  /** Resolves a name mention to a cluster, creating one when the article has not met it yet. */
  resolveName(mention: Extract<Mention, { kind: "name" }>): number {
    this.clock++;
    const tokens = mention.name.split(/\s+/);
    if (mention.organisation) return this.upsert(this.expandOrganisation(mention.name), "organisation", mention.role, mention.surface);
    if (tokens.length >= 2) {
      const key = nameKey(mention.name);
      const same = this.clusters.findIndex((c) => c.key === key);
      if (same >= 0) return this.touch(same, mention.role, mention.surface);
      // A surname-only speaker met earlier now gets its full name.
      const provisional = this.clusters.findIndex(
        (c) => c.kind === "person" && c.key === c.surnameKey && c.surnameKey === tokenKey(tokens.at(-1)!),
      );
      if (provisional >= 0) {
        const cluster = this.clusters[provisional];
        Object.assign(cluster, { name: mention.name, key });
        return this.touch(provisional, mention.role, mention.surface);
      }
      return this.upsert(mention.name, "person", mention.role, mention.surface);
    }
    // Surname (or single name) only: the most recently seen person with that surname.
    const surnameKey = tokenKey(tokens[0]);
    const candidates = this.clusters.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === "person" && c.surnameKey === surnameKey);
    if (candidates.length > 0) {
      const best = candidates.sort((a, b) => b.c.lastSeen - a.c.lastSeen)[0];
      return this.touch(best.i, mention.role, mention.surface);
    }
    const known = this.knownNames.filter((k) => tokenKey(k.name.split(/\s+/).at(-1)!) === surnameKey && k.name.split(/\s+/).length >= 2);
    const distinct = [...new Set(known.map((k) => nameKey(k.name)))];
    if (distinct.length === 1) {
      const index = this.upsert(known[0].name, "person", mention.role ?? known.find((k) => k.role)?.role ?? null, known[0].surface);
      return this.touch(index, null, mention.surface);
    }
    return this.upsert(mention.name, "person", mention.role, mention.surface);
  }

  /** A name seen in passing: it becomes the most recent person, without becoming a speaker. */
  noteMention(mention: Extract<Mention, { kind: "name" }>): void {
    this.resolveName(mention);
  }

  /** "Brightwell" (from "Brightwell’s board") is the "Brightwell Robotics" the article named in full. */
  private expandOrganisation(name: string): string {
    const key = nameKey(name);
    const longer = this.knownNames.filter((known) => nameKey(known.name).startsWith(`${key} `));
    const distinct = [...new Set(longer.map((known) => known.name))];
    return distinct.length === 1 ? distinct[0] : name;
  }

  /** "the minister", "the 24-year-old": the latest person whose role fits, else the latest person. */
  resolveDescription(noun: string, surface: string): number | null {
    const people = this.clusters.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === "person");
    if (people.length === 0) return null;
    const byRole = people.filter(({ c }) => c.role?.toLowerCase().split(/\s+/).includes(noun));
    const pool = byRole.length > 0 ? byRole : people;
    const best = pool.sort((a, b) => b.c.lastSeen - a.c.lastSeen)[0];
    this.clock++;
    return this.touch(best.i, null, surface);
  }

  /** Marks a cluster as mentioned now (for pronouns and descriptions that follow). */
  touch(index: number, role: string | null, surface: string | null): number {
    const cluster = this.clusters[index];
    cluster.lastSeen = ++this.clock;
    if (role && !cluster.role) cluster.role = role;
    // "Ines Coll" adds nothing to an earlier "harbourmaster Ines Coll".
    if (surface && !cluster.mentions.some((m) => m === surface || (m.endsWith(` ${surface}`) && surface.includes(" "))))
      cluster.mentions.push(surface);
    return index;
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
    this.clusters.forEach((cluster, i) => {
      if (!cluster.quoted) return;
      indexOf.set(i, speakers.length);
      speakers.push({ name: cluster.name, kind: cluster.kind, role: cluster.role, mentions: cluster.mentions });
    });
    return { speakers, indexOf };
  }

  private upsert(name: string, kind: "person" | "organisation", role: string | null, surface: string): number {
    const key = kind === "organisation" ? `org:${nameKey(name)}` : nameKey(name);
    const existing = this.clusters.findIndex(
      (c) => c.key === key || (kind === "organisation" && c.kind === "organisation" && sameOrganisation(c.name, name)),
    );
    if (existing >= 0) return this.touch(existing, role, surface);
    if (kind === "person") {
      // The full name may be known from elsewhere in the article (the caption, an earlier bullet).
      const known = this.knownNames.find((k) => nameKey(k.name) === key && k.role);
      role = role ?? known?.role ?? null;
    }
    const tokens = name.split(/\s+/);
    this.clusters.push({
      name,
      kind,
      role,
      mentions: [surface],
      key,
      surnameKey: tokenKey(tokens.at(-1)!),
      lastSeen: ++this.clock,
      quoted: false,
    });
    return this.clusters.length - 1;
  }
}

/** "the defence ministry" and "Veldorian Defence Ministry" are one body. */
function sameOrganisation(a: string, b: string): boolean {
  const wordsA = nameKey(a).split(" ");
  const wordsB = nameKey(b).split(" ");
  const [short, long] = wordsA.length <= wordsB.length ? [wordsA, wordsB] : [wordsB, wordsA];
  return short.length > 0 && short.every((word) => long.includes(word));
}
