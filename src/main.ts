import "reflect-metadata";

import { type AddressInfo } from "node:net";

import Redis from "ioredis";
import { collectDefaultMetrics } from "prom-client";
import { type DataSource } from "typeorm";

import { ConfigError, loadConfig } from "./config";
import { DatabaseError, openDatabase } from "./db/database";
import { loadDemoIfEmpty } from "./demo/load-demo";
import { EventBus } from "./events/event-bus";
import { createLogger } from "./http/request-log";
import { articleParser } from "./ingestion/parser-pool";
import { createServer } from "./server";
import { dataSourceSettings } from "../ormconfig";

async function main(): Promise<void> {
  const config = loadConfig();
  // One JSON line per event, request logs included, so a log shipper reads stdout as is.
  const logger = createLogger(config.logLevel);
  const log = (message: string) => logger.info(message);
  const dataSource = await openDatabase(dataSourceSettings(config), { migrate: !config.databaseUrl });
  if (config.loadDemo && (await loadDemoIfEmpty(dataSource))) {
    log(`loaded the demo content into ${config.databasePath}`);
  }
  // Without Redis, events stay in this process; with it, every replica hears every event.
  const events = config.redisUrl ? await EventBus.redis(config.redisUrl) : EventBus.inProcess();
  // Persisted queries, the response cache and rate-limit buckets, shared by every replica.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 }) : undefined;
  await redis?.connect();
  const server = await createServer({ config, dataSource, logger, events, redis });
  collectDefaultMetrics({ register: server.metrics.registry });
  await new Promise<void>((resolve, reject) => {
    server.httpServer.once("error", reject);
    server.httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = server.httpServer.address() as AddressInfo;
  log(`serving http://localhost:${port}/graphql (database ${config.databasePath})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Whatever hangs (a peer that never closes, a stuck query), the process still ends.
    setTimeout(() => {
      logger.error(`${signal}: not drained within ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    log(`${signal}: /readyz answers 503; draining for ${config.shutdownGraceMs} ms, then finishing in-flight requests`);
    await server.stop({ graceMs: config.shutdownGraceMs });
    await articleParser.close();
    await events.close();
    await redis?.quit().catch(() => redis.disconnect());
    await closeDatabase(dataSource);
    log("stopped");
    process.exit(0);
  };
  const onSignal = (signal: string) =>
    void shutdown(signal).catch((error: unknown) => {
      logger.error({ err: error }, `${signal}: shutdown failed`);
      process.exit(1);
    });
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
}

async function closeDatabase(dataSource: DataSource): Promise<void> {
  if (dataSource.isInitialized) await dataSource.destroy();
}

main().catch((error: unknown) => {
  // Operator mistakes get one line; anything else is a bug and keeps its stack.
  if (error instanceof ConfigError || error instanceof DatabaseError) {
    process.stderr.write(`newsgate: ${error.message}\n`);
  } else if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    process.stderr.write(`newsgate: port already in use (${(error as Error).message})\n`);
  } else {
    process.stderr.write(`newsgate: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
