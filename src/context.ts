import { randomUUID } from "node:crypto";
import { type DataSource } from "typeorm";

import { createBulletLoaders } from "./bullet/bullet.loaders";
import { createCorrectionLoaders } from "./correction/correction.loaders";
import { ANONYMOUS, type Caller } from "./access/caller";
import { type LoaderOptions } from "./db/loader-options";
import { ReadSession } from "./db/reader";
import { type SqlStats } from "./db/sql-stats";
import { type Publisher } from "./events/announce";
import { createFeedLoaders } from "./feed/feed.loaders";
import { createPublicationLoaders } from "./publication/publication.loaders";
import { createQuoteLoaders } from "./quote/quote.loaders";
import { createRelationLoaders } from "./relation/relation.loaders";
import { createSpeakerLoaders } from "./speaker/speaker.loaders";
import { createTimelineLoaders } from "./speaker/timeline";
import { createStoryLoaders } from "./story/story.loaders";

/** What later groups take from earlier ones. */
type Made = ReturnType<typeof createPublicationLoaders> & ReturnType<typeof createSpeakerLoaders> & ReturnType<typeof createStoryLoaders>;

/** The loaders of each domain folder; later groups may use earlier ones (quotes prime speakers, …). */
const GROUPS = [
  (session: ReadSession, options: LoaderOptions) => createPublicationLoaders(session, options),
  (session: ReadSession, options: LoaderOptions) => createSpeakerLoaders(session, options),
  (session: ReadSession, options: LoaderOptions, loaders: Made) =>
    createStoryLoaders(session, options, { publicationById: loaders.publicationById }),
  (session: ReadSession, options: LoaderOptions) => createBulletLoaders(session, options),
  (session: ReadSession, options: LoaderOptions, loaders: Made) =>
    createQuoteLoaders(session, options, { speakerById: loaders.speakerById }),
  (session: ReadSession, options: LoaderOptions, loaders: Made) =>
    createRelationLoaders(session, options, { storyById: loaders.storyById, publicationById: loaders.publicationById }),
  (session: ReadSession, options: LoaderOptions) => createCorrectionLoaders(session.dataSource, options),
  (session: ReadSession, options: LoaderOptions) => createFeedLoaders(session.dataSource, options),
  (session: ReadSession, options: LoaderOptions) => createTimelineLoaders(session.dataSource, options),
] as const;

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/** Every DataLoader of one request, by name. */
export type Loaders = UnionToIntersection<ReturnType<(typeof GROUPS)[number]>>;

/** Which group makes each loader, learnt as groups are made (the same for every request). */
const groupOf = new Map<PropertyKey, number>();

/**
 * One request's DataLoaders, fresh per request so batches and caches never leak between
 * callers. A group is made when one of its loaders is first asked for: most requests use a
 * few of the thirty, and `{ __typename }` none (making them all was a tenth of its CPU).
 */
export function createLoaders(session: ReadSession, options: LoaderOptions = {}): Loaders {
  const made: Record<PropertyKey, unknown> = {};
  const done = new Array<boolean>(GROUPS.length).fill(false);
  const make = (group: number) => {
    done[group] = true;
    const loaders = GROUPS[group](session, options, proxy);
    for (const [name, loader] of Object.entries(loaders)) {
      groupOf.set(name, group);
      made[name] = loader;
    }
  };
  const proxy = new Proxy(made, {
    get(target, name) {
      if (name in target) return target[name];
      const group = groupOf.get(name);
      if (group !== undefined) {
        if (!done[group]) make(group);
      } else {
        // Not learnt yet: make groups in order until one has it.
        for (let i = 0; i < GROUPS.length && !(name in target); i++) if (!done[i]) make(i);
      }
      return target[name];
    },
  }) as Loaders;
  return proxy;
}

/**
 * Makes one request's loaders. Production batches and caches (`createLoaders`); the
 * benchmark's naive variant injects per-row loaders to measure what batching saves.
 */
export type LoaderFactory = (session: ReadSession) => Loaders;

/**
 * `caller` is who sent the request (its client app and role); resolvers check it through
 * `@Authorized`. `events` is where writes announce themselves to subscribers. `reads` is
 * the read path's database session; `sql` counts the statements the request ran.
 */
export function createContext(
  dataSource: DataSource,
  requestId: string = randomUUID(),
  makeLoaders: LoaderFactory = createLoaders,
  caller: Caller = ANONYMOUS,
  events: Publisher = SILENT,
  sql: SqlStats = { statements: 0 },
) {
  const reads = new ReadSession(dataSource, sql);
  return { requestId, dataSource, caller, events, sql, reads, loaders: makeLoaders(reads) };
}

/** For contexts outside a server (scripts, unit-level tests): writes announce to nobody. */
const SILENT: Publisher = { publish: () => undefined };

export type Context = ReturnType<typeof createContext>;
