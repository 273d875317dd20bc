import { randomUUID } from "node:crypto";
import os from "node:os";

import { type Logger } from "pino";
import { type DataSource } from "typeorm";

import { type FeedSettings } from "../config";
import { writeTransaction } from "../db/write-queue";
import { type Publisher } from "../events/announce";
import { IngestionError } from "../ingestion/errors";
import { type FeedEntry, FeedFormatError, parseFeedDocument } from "../ingestion/parse-feed";
import { Publication } from "../publication/publication.entity";
import { Story } from "../story/story.entity";
import { afterCommit } from "../events/effects";
import { Feed, FeedItem, FeedStatus } from "./feed.entity";
import { type FeedMetrics } from "./feed.metrics";
import { ingestPage } from "./ingest-page";
import { decodeText, FetchError, type FetchResult, safeFetch } from "./safe-fetch";

export interface FeedPollerOptions {
  dataSource: DataSource;
  settings: FeedSettings;
  /** Where ingested stories are announced: the server's publisher (cache invalidation and subscriptions). */
  publisher: Publisher;
  metrics: FeedMetrics;
  logger: Logger;
}

/** What one poll of one feed did. */
export interface PollReport {
  feedId: number;
  url: string;
  /** null when another poller held the feed, so this one did nothing. */
  status: FeedStatus | null;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  error: string | null;
}

/** Longest wait between polls of a failing feed, whatever its failure count or Retry-After says. */
const MAX_BACKOFF_SECONDS = 6 * 60 * 60;
/** Feeds polled side by side by one poller: enough to hide one slow publisher, few enough to be polite. */
const CONCURRENCY = 2;

/**
 * Polls due feeds. Any number of pollers (one per replica) may run against one database: a
 * poller polls a feed only while it holds the feed's lease, a row-level claim taken by one
 * atomic UPDATE that succeeds only if no lease is live. Leases expire, so the feeds of a
 * replica that died are taken over once their lease runs out; a live poller renews its lease
 * before each item it fetches.
 */
export class FeedPoller {
  /** Names this poller in lease rows: which host and process holds a feed. */
  readonly owner = `${os.hostname().slice(0, 40)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(private readonly options: FeedPollerOptions) {}

  /** Checks for due feeds every tick, until `stop()`; the first tick is jittered so replicas started together spread out. */
  start(): void {
    this.stopped = false;
    this.schedule(this.tickMs() * Math.random());
  }

  /** No new poll starts; resolves once the one in progress (if any) has finished its current feeds. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Polls every feed that is due and not held by another poller. */
  async pollDue(now = new Date()): Promise<PollReport[]> {
    const due = await this.options.dataSource
      .getRepository(Feed)
      .createQueryBuilder("f")
      .select("f.id", "id")
      .where("f.next_poll_at <= :now", { now })
      .andWhere("(f.lease_expires_at IS NULL OR f.lease_expires_at < :now)", { now })
      .orderBy("f.next_poll_at", "ASC")
      .getRawMany<{ id: number }>();
    return this.pollEach(
      due.map((row) => Number(row.id)),
      false,
    );
  }

  /** Polls the given feeds now whether or not they are due (still never one another poller holds). */
  pollNow(feedIds: number[]): Promise<PollReport[]> {
    return this.pollEach(feedIds, true);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const run = this.pollDue()
        .catch((error: unknown) => this.options.logger.error({ err: error }, "feed poller tick failed"))
        .finally(() => {
          this.running = null;
          this.schedule(this.tickMs());
        });
      this.running = run;
    }, delayMs);
    this.timer.unref();
  }

  /** How often to look for due feeds: often enough that a feed is polled close to its time. */
  private tickMs(): number {
    return Math.min(30_000, Math.max(200, (this.options.settings.pollIntervalSeconds * 1000) / 4));
  }

  private async pollEach(ids: number[], force: boolean): Promise<PollReport[]> {
    const reports: PollReport[] = [];
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && !this.stopped; id = queue.shift()) {
        try {
          const report = await this.pollOne(id, force);
          if (report) reports.push(report);
        } catch (error) {
          // The database failed under this feed (the publisher's failures are recorded in pollOne):
          // log it and go on; the lease expires and the feed is polled again.
          this.options.metrics.failures.inc({ reason: "internal" });
          this.options.logger.error({ err: error, feedId: id }, "feed poll failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
    return reports;
  }

  /** One feed, start to finish. A failing publisher is recorded as the feed's status, never thrown. */
  private async pollOne(id: number, force: boolean): Promise<PollReport | null> {
    const now = new Date();
    if (!(await this.claim(id, now, force))) {
      const feed = await this.options.dataSource.getRepository(Feed).findOneBy({ id });
      return feed ? { ...emptyReport(feed), status: null } : null;
    }
    const feed = await this.options.dataSource.getRepository(Feed).findOneBy({ id });
    if (!feed) return null;
    const report = emptyReport(feed);
    let validators: { etag: string | null; lastModified: string | null } = { etag: feed.etag, lastModified: feed.lastModified };
    let retryAfter: number | null = null;
    try {
      const response = await safeFetch(feed.url, this.options.settings, conditionalHeaders(feed));
      if (response.status === 304) {
        report.status = FeedStatus.NOT_MODIFIED;
      } else {
        validators = { etag: header(response, "etag"), lastModified: header(response, "last-modified") };
        const parsed = parseFeedDocument(decodeText(response), response.url);
        const publication = await this.options.dataSource.getRepository(Publication).findOneByOrFail({ id: feed.publicationId });
        const outcome = await this.ingestEntries(feed, publication.slug, parsed.entries, report);
        retryAfter = outcome.retryAfter;
        // Items that failed for a passing reason must be offered again: a 304 next time would hide them.
        if (outcome.retryLater) validators = { etag: null, lastModified: null };
        report.status = report.failed > 0 ? FeedStatus.PARTIAL : FeedStatus.OK;
      }
    } catch (error) {
      report.status = FeedStatus.FAILED;
      report.error = describe(error);
      retryAfter = error instanceof FetchError ? error.retryAfterSeconds : null;
      this.options.metrics.failures.inc({ reason: reasonOf(error) });
      if (reasonOf(error) === "internal") this.options.logger.error({ err: error, feed: feed.url }, "feed poll failed");
    }
    this.options.metrics.polls.inc({ outcome: report.status! });
    await this.finish(feed, report, validators, retryAfter);
    this.options.logger.info(
      { feed: feed.url, status: report.status, created: report.created, updated: report.updated, failed: report.failed },
      "feed polled",
    );
    return report;
  }

  private async ingestEntries(
    feed: Feed,
    publication: string,
    entries: FeedEntry[],
    report: PollReport,
  ): Promise<{ retryLater: boolean; retryAfter: number | null }> {
    const errors: string[] = [];
    for (const entry of entries) {
      if (this.stopped) return { retryLater: true, retryAfter: null };
      const known = await this.options.dataSource
        .getRepository(FeedItem)
        .createQueryBuilder("i")
        .where("i.feed_id = :feedId AND (i.guid = :guid OR i.url = :url)", { feedId: feed.id, guid: entry.guid, url: entry.url })
        .orderBy("i.id", "ASC")
        .getOne();
      if (known && known.version === entry.version) {
        report.skipped++;
        this.options.metrics.items.inc({ outcome: "skipped" });
        continue;
      }
      if (!known) {
        // Ingested before by other means (the API, the CLI, another feed): remember it, fetch nothing.
        const storyId = await this.ingestedElsewhere(entry.url);
        if (storyId !== null) {
          await this.remember(feed.id, entry, storyId, null, null);
          report.skipped++;
          this.options.metrics.items.inc({ outcome: "skipped" });
          continue;
        }
      }
      if (!(await this.renew(feed.id))) {
        // Our lease expired and another poller took the feed: it carries on from here.
        report.error = "the feed's lease passed to another poller mid-poll";
        return { retryLater: true, retryAfter: null };
      }
      try {
        const page = await safeFetch(entry.url, this.options.settings);
        const { summary } = await ingestPage(this.options.dataSource, page, { publication, publishedAt: entry.publishedAt });
        await this.remember(feed.id, entry, summary.storyId, null, known?.id ?? null);
        await afterCommit(this.options.publisher, summary.effects);
        if (summary.created) report.created++;
        else report.updated++;
        this.options.metrics.items.inc({ outcome: summary.created ? "created" : "updated" });
      } catch (error) {
        report.failed++;
        errors.push(`${entry.url.slice(0, 200)}: ${describe(error)}`);
        report.error = errors.slice(0, 3).join("; ");
        this.options.metrics.items.inc({ outcome: "failed" });
        this.options.metrics.failures.inc({ reason: reasonOf(error) });
        if (error instanceof FetchError && error.transient) {
          // The publisher is struggling: leave the rest for the next poll, and wait longer for it.
          return { retryLater: true, retryAfter: error.retryAfterSeconds };
        }
        if (reasonOf(error) === "internal") {
          this.options.logger.error({ err: error, item: entry.url }, "feed item failed");
          continue;
        }
        // A page that will not become an article is remembered with why, and not fetched again until the feed changes it.
        await this.remember(feed.id, entry, known?.storyId ?? null, describe(error), known?.id ?? null);
      }
    }
    return { retryLater: false, retryAfter: null };
  }

  /** The story an item's link already became: its canonical URL, or the same link in another feed. */
  private async ingestedElsewhere(url: string): Promise<number | null> {
    const story = await this.options.dataSource.getRepository(Story).findOne({ where: { canonicalUrl: url }, select: { id: true } });
    if (story) return story.id;
    const item = await this.options.dataSource
      .getRepository(FeedItem)
      .createQueryBuilder("i")
      .where("i.url = :url AND i.story_id IS NOT NULL", { url })
      .orderBy("i.id", "ASC")
      .getOne();
    return item?.storyId ?? null;
  }

  /** The atomic claim: one UPDATE that only matches a feed whose lease is free or expired. */
  private async claim(id: number, now: Date, force: boolean): Promise<boolean> {
    const until = new Date(now.getTime() + this.options.settings.leaseSeconds * 1000);
    const result = await writeTransaction(this.options.dataSource, (manager) => {
      const query = manager
        .createQueryBuilder()
        .update(Feed)
        .set({ leaseOwner: this.owner, leaseExpiresAt: until })
        .where("id = :id", { id })
        .andWhere("(lease_expires_at IS NULL OR lease_expires_at < :now)", { now });
      if (!force) query.andWhere("next_poll_at <= :now", { now });
      return query.execute();
    });
    return result.affected === 1;
  }

  /** Extends this poller's lease; false when it no longer holds it (expired and taken, or feed removed). */
  private async renew(id: number): Promise<boolean> {
    const until = new Date(Date.now() + this.options.settings.leaseSeconds * 1000);
    const result = await writeTransaction(this.options.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(Feed)
        .set({ leaseExpiresAt: until })
        .where("id = :id AND lease_owner = :owner", { id, owner: this.owner })
        .execute(),
    );
    return result.affected === 1;
  }

  private async remember(feedId: number, entry: FeedEntry, storyId: number | null, lastError: string | null, existingId: number | null) {
    await writeTransaction(this.options.dataSource, async (manager) => {
      const values = { guid: entry.guid, url: entry.url, version: entry.version, storyId, lastError: lastError?.slice(0, 1000) ?? null };
      if (existingId !== null) await manager.update(FeedItem, { id: existingId }, values);
      else await manager.insert(FeedItem, { feedId, ...values, seenAt: new Date() });
    });
  }

  /** Records the outcome, schedules the next poll and gives the lease back, only if still ours. */
  private async finish(
    feed: Feed,
    report: PollReport,
    validators: { etag: string | null; lastModified: string | null },
    retryAfter: number | null,
  ): Promise<void> {
    const now = new Date();
    const failed = report.status === FeedStatus.FAILED;
    const failures = failed ? feed.consecutiveFailures + 1 : 0;
    const interval = this.options.settings.pollIntervalSeconds;
    // Doubling per consecutive failure, never sooner than the publisher asked, never beyond the cap.
    const backoff = failed || retryAfter !== null ? Math.min(MAX_BACKOFF_SECONDS, Math.max(interval * 2 ** failures, retryAfter ?? 0)) : 0;
    const waitSeconds = Math.max(backoff, jittered(interval));
    await writeTransaction(this.options.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(Feed)
        .set({
          lastPolledAt: now,
          lastStatus: report.status,
          lastError: report.error?.slice(0, 1000) ?? null,
          itemsIngested: () => `items_ingested + ${report.created + report.updated}`,
          consecutiveFailures: failures,
          nextPollAt: new Date(now.getTime() + waitSeconds * 1000),
          ...(failed ? {} : { etag: validators.etag?.slice(0, 500) ?? null, lastModified: validators.lastModified?.slice(0, 100) ?? null }),
          leaseOwner: null,
          leaseExpiresAt: null,
        })
        .where("id = :id AND lease_owner = :owner", { id: feed.id, owner: this.owner })
        .execute(),
    );
  }
}

/** ±20% of the interval, so feeds added together (or a fleet restarted together) spread out. */
export function jittered(seconds: number): number {
  return seconds * (0.8 + Math.random() * 0.4);
}

function emptyReport(feed: Feed): PollReport {
  return { feedId: feed.id, url: feed.url, status: null, created: 0, updated: 0, skipped: 0, failed: 0, error: null };
}

function conditionalHeaders(feed: Feed): Record<string, string> {
  const headers: Record<string, string> = {};
  if (feed.etag) headers["if-none-match"] = feed.etag;
  if (feed.lastModified) headers["if-modified-since"] = feed.lastModified;
  return headers;
}

function header(response: FetchResult, name: string): string | null {
  const value = response.headers[name];
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

function reasonOf(error: unknown): string {
  if (error instanceof FetchError) return error.kind;
  if (error instanceof FeedFormatError) return "format";
  if (error instanceof IngestionError) return "ingest";
  return "internal";
}

function describe(error: unknown): string {
  if (error instanceof FetchError || error instanceof IngestionError) return error.message;
  return "internal error (see the server log)";
}
