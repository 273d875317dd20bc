import { setClientAppEnabled } from "../../src/access/client-apps";
import { registerManifest, sha256 } from "../../src/access/trusted-documents";
import { startHttpServer, type HttpServer } from "../helpers/http-server";
import { type OpenSocket, openSocket, socketOperation, type SocketOutcome } from "../helpers/subscriptions";

const BODY_LIMIT = 64 * 1024;
const MUTATION = `mutation { setSpeakerRole(speaker: "U3BlYWtlcjox", role: "x") { role } }`;
const DEEP = "{ stories { edges { node { related { edges { node { related { edges { node { publication { name } } } } } } } } } } }";

interface Refusal {
  name: string;
  /** `closed`: ALLOW_ANONYMOUS_READS=false; `open`: anonymous reads allowed. Both run with NODE_ENV=production. */
  server: "open" | "closed";
  /** The key to send, made fresh for each transport so one transport's spending never refuses the other. */
  key?: (api: HttpServer, transport: string) => Promise<string>;
  query: string;
  /** Requests that go through first (a rate limit's allowance). */
  allowed?: number;
  code: string;
  /** `extensions.limit`, for a document over a limit. */
  limit?: string;
  /** Only the code must match: different rules may trip first on each transport. */
  codeOnly?: true;
}

let counter = 0;
const app =
  (role: "reader" | "editor", settings = {}) =>
  (api: HttpServer, transport: string) =>
    api.key(`app-${transport}-${++counter}`, role, settings);

const REFUSALS: Refusal[] = [
  { name: "no key", server: "closed", query: "{ __typename }", code: "UNAUTHENTICATED" },
  { name: "a wrong key", server: "open", key: async () => "ng_not-a-real-key", query: "{ __typename }", code: "UNAUTHENTICATED" },
  {
    name: "a disabled app's key",
    server: "open",
    key: async (api, transport) => {
      const key = await app("reader")(api, transport);
      await setClientAppEnabled(api.dataSource, `app-${transport}-${counter}`, false);
      return key;
    },
    query: "{ __typename }",
    code: "UNAUTHENTICATED",
  },
  {
    name: "over the rate limit",
    server: "open",
    key: app("reader", { rateLimitPerMinute: 2 }),
    query: "{ __typename }",
    allowed: 2,
    code: "RATE_LIMITED",
  },
  {
    name: "a document over the size limit",
    server: "open",
    query: `{ __typename }\n#${"x".repeat(BODY_LIMIT)}`,
    code: "PAYLOAD_TOO_LARGE",
  },
  { name: "too many tokens", server: "open", query: `{ ${"__typename ".repeat(3000)}}`, code: "GRAPHQL_PARSE_FAILED" },
  { name: "too deep", server: "open", query: DEEP, code: "GRAPHQL_VALIDATION_FAILED", limit: "depth" },
  {
    name: "too many aliases",
    server: "open",
    query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(" ")} }`,
    code: "GRAPHQL_VALIDATION_FAILED",
    limit: "aliases",
  },
  {
    name: "too many directives",
    server: "open",
    query: `{ ${"__typename @include(if: true) ".repeat(21)}}`,
    code: "GRAPHQL_VALIDATION_FAILED",
    limit: "directives",
  },
  {
    name: "too costly",
    server: "open",
    query: "{ stories(first: 100) { edges { node { related(first: 100) { edges { node { id } } } } } } }",
    code: "GRAPHQL_VALIDATION_FAILED",
    limit: "cost",
  },
  {
    name: "a fragment bomb (2^30 selections)",
    server: "open",
    query: `query cop { ...F0 }\n${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join("\n")}\nfragment F30 on Query { __typename }`,
    code: "GRAPHQL_VALIDATION_FAILED",
    // Over HTTP Apollo's recursive-selections rule answers; over a socket the depth limit trips first.
    codeOnly: true,
  },
  {
    name: "1000 copies of one field",
    server: "open",
    query: `query cop { ${"__typename ".repeat(1000)}}`,
    code: "GRAPHQL_VALIDATION_FAILED",
  },
  {
    name: "circular introspection",
    server: "open",
    key: app("reader"),
    query: "query cop { __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }",
    code: "GRAPHQL_VALIDATION_FAILED",
  },
  {
    name: "introspection without a key in production",
    server: "open",
    query: "{ __schema { queryType { name } } }",
    code: "UNAUTHENTICATED",
  },
  {
    name: "a document outside a trusted-documents app's manifest",
    server: "open",
    key: async (api, transport) => {
      const key = await app("reader")(api, transport);
      const body = "{ __typename }";
      await registerManifest(api.dataSource, `app-${transport}-${counter}`, JSON.stringify({ [sha256(body)]: body }));
      return key;
    },
    query: "{ stories(first: 1) { totalCount } }",
    code: "FORBIDDEN",
  },
  { name: "a reader running an editor's mutation", server: "open", key: app("reader"), query: MUTATION, code: "FORBIDDEN" },
];

/** A list nested `depth` deep: [[[…]]]. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

/** The refusal's code (and limit) as a client sees it: from the errors, or from a socket's close reason. */
function refusalOf(outcome: { errors?: SocketOutcome["errors"]; closed?: SocketOutcome["closed"] }) {
  if (outcome.errors?.length) return { code: outcome.errors[0].extensions?.code, limit: outcome.errors[0].extensions?.limit };
  if (outcome.closed) return { code: outcome.closed.reason.split(":")[0], limit: undefined, closeCode: outcome.closed.code };
  return { code: "none", limit: undefined };
}

describe("one admission for HTTP and WebSocket", () => {
  const servers: Record<"open" | "closed", HttpServer> = {} as never;
  beforeAll(async () => {
    const config = { env: "production" as const, bodyLimitBytes: BODY_LIMIT, anonymousRateLimit: 0 };
    servers.open = await startHttpServer({ config });
    servers.closed = await startHttpServer({ config: { ...config, allowAnonymousReads: false } });
  });
  afterAll(async () => {
    await servers.open.close();
    await servers.closed.close();
  });

  it.each(REFUSALS.map((refusal) => [refusal.name, refusal] as const))("refuses %s with the same code on both", async (_name, refusal) => {
    const api = servers[refusal.server];
    const httpKey = await refusal.key?.(api, "http");
    for (let i = 0; i < (refusal.allowed ?? 0); i++) expect((await api.gql(refusal.query, { key: httpKey })).body.errors).toBeUndefined();
    const overHttp = await api.gql(refusal.query, { key: httpKey });

    const socketKey = await refusal.key?.(api, "socket");
    const params: Record<string, string> = socketKey ? { authorization: `Bearer ${socketKey}` } : {};
    let overSocket: SocketOutcome;
    if (refusal.allowed) {
      // The allowance is spent on one connection, as a client would: each operation counts.
      const socket = await openSocket(api.url, params);
      for (let i = 0; i < refusal.allowed; i++) expect((await socket.run({ query: refusal.query })).errors).toBeUndefined();
      overSocket = await socket.run({ query: refusal.query });
      await socket.dispose();
    } else {
      overSocket = await socketOperation(api.url, { query: refusal.query }, params);
    }
    const expected = { code: refusal.code, limit: refusal.limit };
    const seen = (outcome: ReturnType<typeof refusalOf>) => (refusal.codeOnly ? { ...outcome, limit: undefined } : outcome);
    expect({ http: seen(refusalOf(overHttp.body)), socket: seen(refusalOf(overSocket)) }).toEqual({
      http: expected,
      socket: overSocket.closed ? { ...expected, closeCode: refusal.name === "a disabled app's key" ? 4403 : 4401 } : expected,
    });
  });

  it.each([
    ["a NUL character in a variable", { query: "query($s: String) { speakers(search: $s) { totalCount } }", variables: { s: "a\u0000b" } }],
    ["variables nested 1,000 deep", { query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", variables: { ids: nested(1000) } }],
  ])("refuses %s with BAD_USER_INPUT on both", async (_name, operation) => {
    const overHttp = await servers.open.gql(operation.query, { variables: operation.variables });
    const overSocket = await socketOperation(servers.open.url, operation);
    expect({ http: refusalOf(overHttp.body).code, socket: refusalOf(overSocket).code }).toEqual({
      http: "BAD_USER_INPUT",
      socket: "BAD_USER_INPUT",
    });
  });

  it("answers a document over the token limit with the same error on both", async () => {
    const query = `{ ${"__typename ".repeat(3000)}}`;
    const overHttp = await servers.open.gql(query);
    const overSocket = await socketOperation(servers.open.url, { query });
    expect(overSocket).toEqual({ errors: overHttp.body.errors });
    expect(overHttp.body.errors[0].locations).toEqual([{ line: 1, column: 32992 }]);
  });

  it("answers what it admits the same way on both", async () => {
    const key = await servers.open.key("fine", "reader");
    const overHttp = await servers.open.gql("{ viewer { name } }", { key });
    const overSocket = await socketOperation(servers.open.url, { query: "{ viewer { name } }" }, { authorization: `Bearer ${key}` });
    expect([overHttp.body, overSocket]).toEqual([{ data: { viewer: { name: "fine" } } }, { data: { viewer: { name: "fine" } } }]);
  });

  it("counts socket operations and HTTP requests of one client app against one rate limit", async () => {
    const key = await servers.open.key("shared-limit", "reader", { rateLimitPerMinute: 3 });
    const socket = await openSocket(servers.open.url, { authorization: `Bearer ${key}` });
    expect((await socket.run({ query: "{ __typename }" })).data).toEqual({ __typename: "Query" });
    expect((await servers.open.gql("{ __typename }", { key })).status).toBe(200);
    // A subscription start counts too (accepted: it waits for an event until the timeout).
    expect(await socket.run({ query: "subscription { storyPublished { id } }" }, 300)).toEqual({ pending: true });
    const refused = await socket.run({ query: "{ __typename }" });
    expect(refused.errors?.[0]).toEqual({
      message: expect.stringMatching(/^Rate limit reached for client app "shared-limit"; retry in \d+ s$/),
      extensions: { code: "RATE_LIMITED", retryAfter: expect.any(Number) },
    });
    expect((await servers.open.gql("{ __typename }", { key })).status).toBe(429);
    await socket.dispose();
  });
});

describe("subscription caps", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ config: { maxSubscriptionsPerConnection: 2, maxSubscriptionsPerApp: 3 } });
  });
  afterAll(() => api.close());

  // An accepted subscription waits for events: nothing back within the wait is its success.
  const subscribe = (socket: OpenSocket) => socket.run({ query: "subscription { storyPublished { id } }" }, 300);

  it("refuses a subscription over the per-connection cap, then over the per-app cap across connections", async () => {
    const key = await api.key("busy", "reader");
    const params = { authorization: `Bearer ${key}` };
    const first = await openSocket(api.url, params);
    expect([await subscribe(first), await subscribe(first)]).toEqual([{ pending: true }, { pending: true }]);
    expect(await subscribe(first)).toEqual({
      errors: [
        {
          message: "A connection may hold 2 subscriptions at once; complete one first",
          extensions: { code: "RATE_LIMITED", limit: "subscriptions per connection" },
        },
      ],
    });
    const second = await openSocket(api.url, params);
    expect(await subscribe(second)).toEqual({ pending: true });
    expect(await subscribe(second)).toEqual({
      errors: [
        {
          message: 'The client app "busy" may hold 3 subscriptions at once; complete one first',
          extensions: { code: "RATE_LIMITED", limit: "subscriptions per client app" },
        },
      ],
    });
    // Closing a connection gives its subscriptions back.
    await first.dispose();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await subscribe(second)).toEqual({ pending: true });
    await second.dispose();
  });
});
