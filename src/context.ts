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

/**
 * Every DataLoader of one request. Made fresh per request so batches and caches never
 * leak between callers; some loaders prime others (quotes prime speakers, related
 * stories prime stories and publications), hence the order.
 */
export function createLoaders(session: ReadSession, options: LoaderOptions = {}) {
  const dataSource = session.dataSource;
  const publication = createPublicationLoaders(session, options);
  const speaker = createSpeakerLoaders(session, options);
  const story = createStoryLoaders(session, options);
  const bullet = createBulletLoaders(session, options);
  const quote = createQuoteLoaders(session, options, { speakerById: speaker.speakerById });
  const relation = createRelationLoaders(session, options, { storyById: story.storyById, publicationById: publication.publicationById });
  const correction = createCorrectionLoaders(dataSource, options);
  const feed = createFeedLoaders(dataSource, options);
  const timeline = createTimelineLoaders(dataSource, options);
  return { ...publication, ...speaker, ...story, ...bullet, ...quote, ...relation, ...correction, ...feed, ...timeline };
}

export type Loaders = ReturnType<typeof createLoaders>;

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
