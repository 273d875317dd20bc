import "reflect-metadata";

import { DataSource } from "typeorm";

import { CreatePublications1764115200000 } from "./migrations/1764115200000-create-publications";
import { CreateStories1764115260000 } from "./migrations/1764115260000-create-stories";
import { CreateBullets1764115320000 } from "./migrations/1764115320000-create-bullets";
import { CreateSpeakers1764115380000 } from "./migrations/1764115380000-create-speakers";
import { CreateQuotes1764115440000 } from "./migrations/1764115440000-create-quotes";
import { CreateStoryRelations1764115500000 } from "./migrations/1764115500000-create-story-relations";
import { AddQuoteAttribution1764116000000 } from "./migrations/1764116000000-add-quote-attribution";
import { AddSpeakerMatching1764116060000 } from "./migrations/1764116060000-add-speaker-matching";
import { CreateSpeakerRoles1764116120000 } from "./migrations/1764116120000-create-speaker-roles";
import { CreateCorrections1764116180000 } from "./migrations/1764116180000-create-corrections";
import { CreateSearchIndex1764116240000 } from "./migrations/1764116240000-create-search-index";
import { CreateClientApps1764200000000 } from "./migrations/1764200000000-create-client-apps";
import { CreateTrustedDocuments1764200060000 } from "./migrations/1764200060000-create-trusted-documents";
import { AddQuoteReview1764300000000 } from "./migrations/1764300000000-add-quote-review";
import { AddQuoteStatements1764300060000 } from "./migrations/1764300060000-add-quote-statements";
import { CreateFeeds1764300120000 } from "./migrations/1764300120000-create-feeds";
import { Bullet } from "./src/bullet/bullet.entity";
import { Correction } from "./src/correction/correction.entity";
import { ApiKey } from "./src/access/api-key.entity";
import { ClientApp } from "./src/access/client-app.entity";
import { TrustedDocument } from "./src/access/trusted-document.entity";
import { type Config, ConfigError, loadConfig } from "./src/config";
import { SqlStatsLogger } from "./src/db/sql-stats";
import { Feed, FeedItem } from "./src/feed/feed.entity";
import { Publication } from "./src/publication/publication.entity";
import { Quote } from "./src/quote/quote.entity";
import { StoryRelation } from "./src/relation/story-relation.entity";
import { SpeakerAlias } from "./src/speaker/speaker-alias.entity";
import { SpeakerRole } from "./src/speaker/speaker-role.entity";
import { Speaker } from "./src/speaker/speaker.entity";
import { StoryTopic } from "./src/story/story-topic.entity";
import { Story } from "./src/story/story.entity";

export const entities = [
  Publication,
  Story,
  StoryTopic,
  Bullet,
  Speaker,
  SpeakerAlias,
  SpeakerRole,
  Quote,
  StoryRelation,
  Correction,
  ClientApp,
  ApiKey,
  TrustedDocument,
  Feed,
  FeedItem,
];

export const migrations = [
  CreatePublications1764115200000,
  CreateStories1764115260000,
  CreateBullets1764115320000,
  CreateSpeakers1764115380000,
  CreateQuotes1764115440000,
  CreateStoryRelations1764115500000,
  AddQuoteAttribution1764116000000,
  AddSpeakerMatching1764116060000,
  CreateSpeakerRoles1764116120000,
  CreateCorrections1764116180000,
  CreateSearchIndex1764116240000,
  CreateClientApps1764200000000,
  CreateTrustedDocuments1764200060000,
  AddQuoteReview1764300000000,
  AddQuoteStatements1764300060000,
  CreateFeeds1764300120000,
];

export interface DataSourceSettings {
  /** SQLite file, used unless `databaseUrl` is set. */
  databasePath: string;
  /** postgres://… to run on PostgreSQL instead. */
  databaseUrl?: string | null;
  logSql?: boolean;
  poolSize?: number;
  statementTimeoutMs?: number;
}

/** The settings a DataSource needs, out of the whole configuration. */
export function dataSourceSettings(config: Config): DataSourceSettings {
  return {
    databasePath: config.databasePath,
    databaseUrl: config.databaseUrl,
    logSql: config.logSql,
    poolSize: config.databasePoolSize,
    statementTimeoutMs: config.statementTimeoutMs,
  };
}

/**
 * The one way Newsgate opens its database: the server, the CLIs and the tests all call
 * this. The schema changes only through `migrations`, never `synchronize`.
 */
export function createDataSource(settings: DataSourceSettings): DataSource {
  const common = {
    entities,
    migrations,
    migrationsTransactionMode: "each" as const,
    synchronize: false,
    logger: new SqlStatsLogger(settings.logSql ?? false),
  };
  if (settings.databaseUrl) {
    return new DataSource({
      ...common,
      type: "postgres",
      url: settings.databaseUrl,
      poolSize: settings.poolSize ?? 10,
      // A runaway query is cut off by the server rather than holding a pooled connection.
      extra: { statement_timeout: settings.statementTimeoutMs ?? 10_000, application_name: "newsgate" },
    });
  }
  return new DataSource({
    ...common,
    type: "better-sqlite3",
    database: settings.databasePath,
    enableWAL: true,
    // Wait this long for a lock held by another process (the CLI, a backup) before failing.
    timeout: 5000,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma("synchronous = NORMAL");
    },
  });
}

/**
 * For the TypeORM CLI (`npx typeorm-ts-node-commonjs -d ormconfig.ts …`). The app imports
 * this module too, so a configuration mistake surfaces here first: report it the way every
 * Newsgate entry point does, in one line.
 */
function configForCli() {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`newsgate: ${error.message}\n`);
    process.exit(1);
  }
}

export default createDataSource(dataSourceSettings(configForCli()));
