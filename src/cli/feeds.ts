import "reflect-metadata";

import { parseArgs } from "node:util";

import { GraphQLError } from "graphql";
import { Registry } from "prom-client";
import { type DataSource } from "typeorm";

import { ConfigError, loadConfig, type Config } from "../config";
import { DatabaseError, openDatabase } from "../db/database";
import { EventBus } from "../events/event-bus";
import { type Feed, FeedStatus } from "../feed/feed.entity";
import { FeedMetrics } from "../feed/feed.metrics";
import { FeedPoller, type PollReport } from "../feed/feed.poller";
import { Feeds } from "../feed/feeds";
import { createLogger } from "../http/request-log";
import { dataSourceSettings } from "../../ormconfig";

const USAGE = `usage: npm run feeds -- <command>
  add URL --publication SLUG   register a feed for a publication
  list                         every feed with its polling status
  remove URL                   stop polling a feed (its stories stay)
  poll [URL]                   poll every feed (or one) now, as the server's poller would`;

/** A mistake in the command line: one line on stderr, exit 1. */
class UsageError extends Error {}

function describe(feed: Feed & { publicationSlug?: string }): string {
  const polled = feed.lastPolledAt ? `polled ${feed.lastPolledAt.toISOString()}` : "never polled";
  const status = feed.lastStatus ? ` ${feed.lastStatus}` : "";
  const error = feed.lastError ? ` (${feed.lastError})` : "";
  return `${feed.url}\t${feed.publicationSlug ?? ""}\t${polled}${status}${error}\t${feed.itemsIngested} ingested\tnext ${feed.nextPollAt.toISOString()}`;
}

function summary(report: PollReport): string {
  if (report.status === null) return `${report.url}: held by another poller; skipped`;
  const counts = `${report.created} new, ${report.updated} updated, ${report.skipped} skipped, ${report.failed} failed`;
  return `${report.url}: ${report.status} (${counts})${report.error ? `: ${report.error}` : ""}`;
}

async function run(config: Config, dataSource: DataSource, command: string, args: string[], publication: string | undefined) {
  const feeds = new Feeds(dataSource);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const one = (what: string) => {
    if (args.length !== 1) throw new UsageError(`${command} needs ${what} (--help for usage)`);
    return args[0];
  };
  const known = async (url: string) => {
    const feed = await feeds.findByUrl(url);
    if (!feed) throw new UsageError(`no feed is registered at ${url}`);
    return feed;
  };
  switch (command) {
    case "add": {
      const url = one("the feed's URL");
      if (!publication) throw new UsageError("add needs --publication SLUG");
      const feed = await feeds.add(publication, url);
      out(`Added ${feed.url} for ${publication}; it is polled from the server's next tick (or now: npm run feeds -- poll ${feed.url}).`);
      return 0;
    }
    case "list": {
      if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
      const all = await feeds.list();
      if (all.length === 0) out("No feeds yet: npm run feeds -- add URL --publication SLUG");
      for (const feed of all) out(describe(feed));
      return 0;
    }
    case "remove": {
      const feed = await feeds.remove((await known(one("the feed's URL"))).id);
      out(`Removed ${feed.url}; the stories ingested from it stay.`);
      return 0;
    }
    case "poll": {
      if (args.length > 1) throw new UsageError(`unexpected argument "${args[1]}"`);
      const ids = args.length === 1 ? [(await known(args[0])).id] : (await feeds.list()).map((feed) => feed.id);
      // With Redis, subscribers and response caches on every replica hear about what this stores.
      const events = config.redisUrl ? await EventBus.redis(config.redisUrl) : null;
      try {
        const poller = new FeedPoller({
          dataSource,
          settings: config.feeds,
          publisher: events?.pubSub ?? { publish: () => undefined },
          metrics: new FeedMetrics(new Registry()),
          logger: createLogger("silent"),
        });
        const reports = await poller.pollNow(ids);
        for (const report of reports) out(summary(report));
        if (reports.length === 0) out("No feeds to poll.");
        return reports.some((report) => report.status === FeedStatus.FAILED) ? 1 : 0;
      } finally {
        await events?.close();
      }
    }
    default:
      throw new UsageError(`unknown command "${command}" (commands: add, list, remove, poll; --help for usage)`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { publication: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (--help for usage)`);
  }
  const [command, ...args] = parsed.positionals;
  if (parsed.values.help || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!command) throw new UsageError("missing command (commands: add, list, remove, poll; --help for usage)");
  const config = loadConfig();
  const dataSource = await openDatabase(dataSourceSettings(config));
  try {
    return await run(config, dataSource, command, args, parsed.values.publication);
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    // Mistakes (bad input, unknown feed, duplicate, bad config or database) get one line; a bug keeps its stack.
    if (error instanceof UsageError || error instanceof GraphQLError || error instanceof ConfigError || error instanceof DatabaseError) {
      process.stderr.write(`feeds: ${error.message}\n`);
    } else {
      process.stderr.write(`feeds: failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
    process.exit(1);
  });
