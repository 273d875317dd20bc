import { Counter, Histogram, Registry } from "prom-client";

/** Operation names come from clients; past this many distinct ones, new names count as "other". */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export interface RequestOutcome {
  clientApp: string | null;
  operationName: string | null;
  status: number;
  durationMs: number;
  sqlStatements: number;
  errorCodes: string[];
}

/**
 * Newsgate's Prometheus metrics, in a registry of their own (one per server, so tests can
 * run several servers in one process). Label values are bounded: client apps come from our
 * registry, and operation names, which any caller can invent, are capped.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();

  private readonly requests = new Counter({
    name: "newsgate_graphql_requests_total",
    help: "GraphQL requests, by client app (or anonymous), operation name and HTTP status.",
    labelNames: ["client", "operation", "status"] as const,
    registers: [this.registry],
  });

  private readonly duration = new Histogram({
    name: "newsgate_graphql_request_duration_seconds",
    help: "Time from receiving a GraphQL request to finishing its response, by operation name.",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly errors = new Counter({
    name: "newsgate_graphql_errors_total",
    help: "GraphQL errors in responses, by extensions.code.",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  private readonly sqlStatements = new Counter({
    name: "newsgate_sql_statements_total",
    help: "SQL statements run for GraphQL requests.",
    registers: [this.registry],
  });

  private readonly sqlPerRequest = new Histogram({
    name: "newsgate_graphql_request_sql_statements",
    help: "SQL statements per GraphQL request, by operation name.",
    labelNames: ["operation"] as const,
    buckets: [0, 1, 2, 4, 6, 8, 12, 16, 32, 64],
    registers: [this.registry],
  });

  record(outcome: RequestOutcome): void {
    const operation = this.operationLabel(outcome.operationName);
    this.requests.inc({ client: outcome.clientApp ?? "anonymous", operation, status: String(outcome.status) });
    this.duration.observe({ operation }, outcome.durationMs / 1000);
    this.sqlStatements.inc(outcome.sqlStatements);
    this.sqlPerRequest.observe({ operation }, outcome.sqlStatements);
    for (const code of outcome.errorCodes) this.errors.inc({ code });
  }

  private operationLabel(name: string | null): string {
    if (name === null) return "anonymous";
    if (!OPERATION_NAME.test(name)) return "other";
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return "other";
    this.operations.add(name);
    return name;
  }
}
