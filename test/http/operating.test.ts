import { Writable } from "node:stream";

import pino from "pino";

import { startHttpServer, type HttpServer } from "../helpers/http-server";

/** A pino logger whose JSON lines land in `lines`. */
function memoryLogger() {
  const lines: Array<Record<string, any>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

describe("health and readiness", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer();
  });
  afterAll(() => api.close());

  it("answers /healthz, and /readyz while the database answers and is migrated", async () => {
    expect([(await api.request({ path: "/healthz" })).body]).toEqual([{ status: "ok" }]);
    const ready = await api.request({ path: "/readyz" });
    expect([ready.status, ready.body]).toEqual([200, { status: "ready" }]);
  });

  it("turns /readyz to 503 while a migration is pending", async () => {
    await api.dataSource.undoLastMigration({ transaction: "each" });
    const pending = await api.request({ path: "/readyz" });
    expect([pending.status, pending.body]).toEqual([
      503,
      { status: "unavailable", reason: "database migrations are pending: run npm run migrate" },
    ]);
    await api.dataSource.runMigrations({ transaction: "each" });
    expect((await api.request({ path: "/readyz" })).status).toBe(200);
  });

  it("turns /readyz to 503 when the database is gone, while /healthz stays up", async () => {
    await api.dataSource.destroy();
    const down = await api.request({ path: "/readyz" });
    expect([down.status, down.body.status, down.body.reason]).toEqual([
      503,
      "unavailable",
      expect.stringMatching(/^database unreachable: /),
    ]);
    expect((await api.request({ path: "/healthz" })).status).toBe(200);
  });
});

describe("request logs and metrics", () => {
  let api: HttpServer;
  let lines: Array<Record<string, any>>;
  let key: string;
  beforeAll(async () => {
    const memory = memoryLogger();
    lines = memory.lines;
    api = await startHttpServer({ demo: true, logger: memory.logger });
    key = await api.key("web", "reader");
  });
  afterAll(() => api.close());

  it("writes one JSON line per request with its id, client app, operation, duration and SQL count", async () => {
    const response = await api.gql("query StoryCount { stories(first: 1) { totalCount } }", {
      key,
      headers: { "x-request-id": "trace-123" },
    });
    expect(response.headers.get("x-request-id")).toBe("trace-123");
    const line = lines.find((entry) => entry.requestId === "trace-123");
    expect(line).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: expect.any(Number),
      hostname: expect.any(String),
      msg: "graphql request",
      requestId: "trace-123",
      method: "POST",
      path: "/graphql",
      status: 200,
      clientApp: "web",
      role: "reader",
      operationName: "StoryCount",
      durationMs: expect.any(Number),
      // The key's lookup, then the query rendered in SQL (one statement for the page and its count).
      sqlStatements: 2,
      errorCodes: [],
    });
  });

  it("logs refused requests too, with their error codes, and makes up a request id when none is given", async () => {
    const response = await api.gql("{ __typename }", { key: "ng_wrong" });
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.find((entry) => entry.requestId === id)).toMatchObject({
      status: 401,
      clientApp: null,
      role: "anonymous",
      errorCodes: ["UNAUTHENTICATED"],
    });
  });

  it("exposes Prometheus metrics: requests by client and operation, latency, errors by code, SQL statements", async () => {
    await api.gql("query StoryCount { stories(first: 1) { totalCount } }", { key });
    await api.gql("{ nope }");
    const metrics = await api.request({ path: "/metrics" });
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = metrics.text;
    expect(text).toMatch(/^newsgate_graphql_requests_total\{client="web",operation="StoryCount",status="200"\} 2$/m);
    expect(text).toMatch(/^newsgate_graphql_requests_total\{client="anonymous",operation="anonymous",status="401"\} 1$/m);
    expect(text).toMatch(/^newsgate_graphql_errors_total\{code="UNAUTHENTICATED"\} 1$/m);
    expect(text).toMatch(/^newsgate_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1$/m);
    expect(text).toMatch(/^newsgate_graphql_request_duration_seconds_count\{operation="StoryCount"\} 2$/m);
    expect(text).toMatch(/^newsgate_sql_statements_total \d+$/m);
    expect(text).toMatch(/^newsgate_graphql_request_sql_statements_bucket\{le="4",operation="StoryCount"\} 2$/m);
  });

  it("caps the operation names it labels, since any caller can invent them", async () => {
    await api.gql("query Weird_Name_ { __typename }");
    await api.gql(`query ${"A".repeat(80)} { __typename }`);
    const text = (await api.request({ path: "/metrics" })).text;
    expect(text).toMatch(/operation="Weird_Name_"/);
    expect(text).not.toContain("A".repeat(80));
    expect(text).toMatch(/^newsgate_graphql_requests_total\{client="anonymous",operation="other",status="200"\} 1$/m);
  });
});

describe("CORS and the body size limit", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ config: { corsOrigins: ["https://app.example.com"], bodyLimitBytes: 2048 } });
  });
  afterAll(() => api.close());

  const preflight = (origin: string) =>
    api.request({
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });

  it("lets only the configured origins call from a browser", async () => {
    const allowed = await preflight("https://app.example.com");
    expect([
      allowed.status,
      allowed.headers.get("access-control-allow-origin"),
      allowed.headers.get("access-control-allow-headers"),
    ]).toEqual([
      204,
      "https://app.example.com",
      "content-type,authorization,x-api-key,apollo-require-preflight,x-apollo-operation-name,x-request-id",
    ]);
    const other = await preflight("https://evil.example");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    // A preflight is CORS's answer, not a GraphQL request: not counted (nor logged) as one.
    const metrics = await (await fetch(`${api.origin}/metrics`)).text();
    expect(metrics).not.toMatch(/newsgate_graphql_requests_total\{[^}]*status="204"/);
    const get = await api.gql("{ __typename }", { headers: { origin: "https://app.example.com" } });
    expect([get.headers.get("access-control-allow-origin"), get.headers.get("access-control-expose-headers")]).toEqual([
      "https://app.example.com",
      "retry-after,x-request-id",
    ]);
  });

  it("refuses a body over BODY_LIMIT with 413", async () => {
    const response = await api.gql(`{ __typename } # ${"x".repeat(3000)}`);
    expect([response.status, response.body]).toEqual([
      413,
      { errors: [{ message: "The request body is over the limit of 2048 bytes", extensions: { code: "PAYLOAD_TOO_LARGE" } }] },
    ]);
  });
});
