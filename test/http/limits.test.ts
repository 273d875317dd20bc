import { startHttpServer, type HttpServer } from "../helpers/http-server";

const refused = (message: string, limit: string, extra: Record<string, unknown> = {}) => ({
  errors: [{ message, extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit, ...extra } }],
});

/** Default limits (the server's config), and per client app overrides. */
describe("request limits", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ demo: true });
  });
  afterAll(() => api.close());

  const deep = "{ stories { edges { node { related { edges { node { related { edges { node { publication { name } } } } } } } } } } }";

  it("refuses a query deeper than 10 fields", async () => {
    const response = await api.gql(deep);
    expect([response.status, response.body]).toEqual([400, refused("Query depth limit of 10 exceeded, found 11.", "depth")]);
  });

  it("refuses more than 15 aliases, counting __typename aliases", async () => {
    const typenames = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    const response = await api.gql(typenames);
    expect([response.status, response.body]).toEqual([400, refused("Aliases limit of 15 exceeded, found 16.", "aliases")]);
    const fifteen = `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    expect((await api.gql(fifteen)).status).toBe(200);
  });

  it("refuses more than 20 directives", async () => {
    const response = await api.gql(`{ ${"__typename @include(if: true) ".repeat(21)}}`);
    expect([response.status, response.body]).toEqual([400, refused("Directives limit of 20 exceeded, found 21.", "directives")]);
  });

  it("stops parsing a document of more than 3000 tokens: 400, not 500", async () => {
    const response = await api.gql(`{ ${"__typename ".repeat(3000)}}`);
    expect([response.status, response.body]).toEqual([
      400,
      {
        errors: [
          {
            // graphql-js's own wording, typo included.
            message: "Syntax Error: Document contains more that 3000 tokens. Parsing aborted.",
            locations: [{ line: 1, column: 32992 }],
            extensions: { code: "GRAPHQL_PARSE_FAILED" },
          },
        ],
      },
    ]);
  });

  it("prices a query by its page sizes and refuses one over 25000", async () => {
    const nested =
      "query Nested($first: Int) { stories(first: $first) { edges { node { related(first: 100) { edges { node { id } } } } } } }";
    // 1 + first × (edges 1 + node 1 + related (1 + 100 × (edges 1 + node 1 + id 1)))
    const tooMuch = await api.gql(nested, { variables: { first: 100 } });
    expect([tooMuch.status, tooMuch.body]).toEqual([
      400,
      refused("Query cost limit of 25000 exceeded, found 30301. Ask for smaller pages (first) or fewer nested lists.", "cost", {
        cost: 30301,
        maxCost: 25000,
      }),
    ]);
    // Without `first` the page is 20: 1 + 20 × 303.
    const defaults = await api.gql(nested);
    expect([defaults.status, defaults.body.errors]).toEqual([200, undefined]);
  });

  it("reports at most 5 validation errors for one document", async () => {
    const response = await api.gql(`{ ${Array.from({ length: 12 }, (_, i) => `qqqq${i}`).join(" ")} }`);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { message: string }) => error.message)).toEqual([
      'Cannot query field "qqqq0" on type "Query".',
      'Cannot query field "qqqq1" on type "Query".',
      'Cannot query field "qqqq2" on type "Query".',
      'Cannot query field "qqqq3" on type "Query".',
      'Cannot query field "qqqq4" on type "Query".',
      "Too many validation errors, error limit reached. Validation aborted.",
    ]);
  });

  it("applies a client app's own limits instead of the server's", async () => {
    const strict = await api.key("strict-widget", "reader", { maxDepth: 3, maxAliases: 1, maxCost: 50 });
    const generous = await api.key("internal-tool", "reader", { maxDepth: 12, maxCost: 100_000 });
    const storyList = "{ stories(first: 10) { edges { node { headline } } } }";
    expect((await api.gql(storyList, { key: strict })).body).toEqual(refused("Query depth limit of 3 exceeded, found 4.", "depth"));
    expect((await api.gql("{ a: __typename b: __typename }", { key: strict })).body).toEqual(
      refused("Aliases limit of 1 exceeded, found 2.", "aliases"),
    );
    expect((await api.gql("{ stories(first: 30) { edges { cursor } } }", { key: strict })).body).toEqual(
      refused("Query cost limit of 50 exceeded, found 61. Ask for smaller pages (first) or fewer nested lists.", "cost", {
        cost: 61,
        maxCost: 50,
      }),
    );
    // The same document, cached by Apollo after its first validation, is still checked per caller.
    expect((await api.gql(storyList)).status).toBe(200);
    expect((await api.gql(storyList, { key: strict })).status).toBe(400);
    const deepAllowed = await api.gql(deep, { key: generous });
    expect([deepAllowed.status, deepAllowed.body.errors]).toEqual([200, undefined]);
  });
});

describe("rate limits", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ config: { anonymousRateLimit: 3 } });
  });
  afterAll(() => api.close());

  it("answers 429 with Retry-After once a client app has spent its requests per minute", async () => {
    const key = await api.key("tiny", "reader", { rateLimitPerMinute: 2 });
    expect((await api.gql("{ __typename }", { key })).status).toBe(200);
    expect((await api.gql("{ __typename }", { key })).status).toBe(200);
    const third = await api.gql("{ __typename }", { key });
    expect([third.status, third.headers.get("retry-after"), third.body]).toEqual([
      429,
      // The minute window opened by the first request ends in (about) 60 s.
      "60",
      {
        errors: [
          { message: 'Rate limit reached for client app "tiny"; retry in 60 s', extensions: { code: "RATE_LIMITED", retryAfter: 60 } },
        ],
      },
    ]);
  });

  it("buckets anonymous callers by IP address, apart from client apps", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.gql("{ __typename }")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const key = await api.key("roomy", "reader");
    expect((await api.gql("{ __typename }", { key })).status).toBe(200);
  });
});

describe("rate limits behind a proxy (TRUST_PROXY_HOPS=1)", () => {
  it("buckets anonymous callers by the address the proxy forwarded", async () => {
    const api = await startHttpServer({ config: { anonymousRateLimit: 1, trustProxyHops: 1 } });
    try {
      const from = async (address: string) => (await api.gql("{ __typename }", { headers: { "x-forwarded-for": address } })).status;
      expect([await from("203.0.113.1"), await from("203.0.113.2"), await from("203.0.113.1")]).toEqual([200, 200, 429]);
    } finally {
      await api.close();
    }
  });
});
