import { Counter, type Registry } from "prom-client";

/**
 * The poller's Prometheus counters, in the server's registry (so /metrics shows them) or a
 * private one (the CLI). Label values are fixed lists, never feed URLs.
 */
export class FeedMetrics {
  readonly polls: Counter<"outcome">;
  readonly items: Counter<"outcome">;
  readonly failures: Counter<"reason">;

  constructor(registry: Registry) {
    this.polls = new Counter({
      name: "newsgate_feed_polls_total",
      help: "Feed polls, by outcome: ok, not_modified, partial, failed.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    });
    this.items = new Counter({
      name: "newsgate_feed_items_total",
      help: "Feed items handled, by outcome: created, updated, skipped (already ingested), failed.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    });
    this.failures = new Counter({
      name: "newsgate_feed_failures_total",
      help: "Failed fetches and ingests for feeds, by reason: refused, timeout, too_large, http, network, format, ingest, internal.",
      labelNames: ["reason"] as const,
      registers: [registry],
    });
  }
}
