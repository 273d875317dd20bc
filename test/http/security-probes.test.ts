import { Writable } from "node:stream";

import pino from "pino";

import { startHttpServer, type HttpServer } from "../helpers/http-server";

/**
 * The probes a GraphQL security scanner (GraphQL Cop's list) sends, against the server in
 * production mode. Each must be refused, or answered harmlessly.
 */
describe("security probes, in production mode", () => {
  let api: HttpServer;
  let key: string;
  const logged: Array<Record<string, any>> = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line.trim()) logged.push(JSON.parse(line));
        done();
      },
    });
    api = await startHttpServer({ config: { env: "production" }, demo: true, logger: pino({ level: "info" }, stream) });
    key = await api.key("scanner", "reader", { rateLimitPerMinute: 0 });
  });
  afterAll(() => api.close());

  const codes = (body: { errors?: Array<{ extensions?: { code?: string } }> }) =>
    (body.errors ?? []).map((error) => error.extensions?.code);

  it("alias overloading: 101 __typename aliases are refused", async () => {
    const response = await api.gql(`query cop { ${Array.from({ length: 101 }, (_, i) => `alias${i}:__typename`).join(" ")} }`);
    expect([response.status, response.body]).toEqual([
      400,
      {
        errors: [
          { message: "Aliases limit of 15 exceeded, found 101.", extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: "aliases" } },
        ],
      },
    ]);
  });

  it("batched queries: an array of operations in one request is refused", async () => {
    const response = await api.request({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(Array.from({ length: 10 }, () => ({ query: "query cop { __typename }" }))),
    });
    expect([response.status, response.body]).toEqual([
      400,
      { errors: [{ message: "Operation batching disabled.", extensions: { code: "BAD_REQUEST" } }] },
    ]);
  });

  it("directive overloading: many directives are refused, and unknown ones cost at most a few errors", async () => {
    const known = await api.gql(`query cop { ${"__typename @include(if: true) ".repeat(50)}}`);
    expect([known.status, known.body]).toEqual([
      400,
      {
        errors: [
          { message: "Directives limit of 20 exceeded, found 50.", extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: "directives" } },
        ],
      },
    ]);
    const unknown = await api.gql(`query cop { __typename ${"@aa".repeat(1000)} }`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toHaveLength(6);
    expect(unknown.body.errors.at(-1).message).toBe("Too many validation errors, error limit reached. Validation aborted.");
  });

  it("field duplication: 1000 copies of a field stop graphql-js's merge check (400); 100 copies answer once", async () => {
    const thousand = await api.gql(`query cop { ${"__typename ".repeat(1000)}}`);
    expect([thousand.status, thousand.body]).toEqual([
      400,
      { errors: [{ message: "Validation aborted.", extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }] },
    ]);
    const hundred = await api.gql(`query cop { ${"__typename ".repeat(100)}}`);
    expect([hundred.status, hundred.body]).toEqual([200, { data: { __typename: "Query" } }]);
  });

  it("field suggestions: a misspelt field does not reveal the schema", async () => {
    const response = await api.gql("{ storie { headlin } }");
    expect([response.status, response.body]).toEqual([
      400,
      {
        errors: [
          {
            message: 'Cannot query field "storie" on type "Query".',
            locations: [{ line: 1, column: 3 }],
            extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
          },
        ],
      },
    ]);
  });

  it("introspection: refused without a key (401), answered with one", async () => {
    for (const query of [
      "query cop { __schema { types { name } } }",
      '{ __type(name: "Story") { fields { name } } }',
      "{ ...Schema } fragment Schema on Query { __schema { queryType { name } } }",
    ]) {
      const anonymous = await api.gql(query);
      expect([query, anonymous.status, anonymous.body]).toEqual([
        query,
        401,
        { errors: [{ message: "Introspection needs an API key in this deployment", extensions: { code: "UNAUTHENTICATED" } }] },
      ]);
    }
    const keyed = await api.gql("{ __schema { queryType { name } } }", { key });
    expect([keyed.status, keyed.body]).toEqual([200, { data: { __schema: { queryType: { name: "Query" } } } }]);
  });

  it("circular introspection: refused even with a key", async () => {
    const circular = "query cop { __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }";
    const response = await api.gql(circular, { key });
    expect([response.status, codes(response.body), response.body.errors[0].message]).toEqual([
      400,
      ["GRAPHQL_VALIDATION_FAILED"],
      "Maximum introspection depth exceeded",
    ]);
  });

  it("fragment bombs: a document whose fragments expand to 2^30 selections is refused", async () => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join("\n");
    const response = await api.gql(`query cop { ...F0 }\n${fragments}\nfragment F30 on Query { __typename }`);
    expect([response.status, codes(response.body)]).toEqual([400, ["GRAPHQL_VALIDATION_FAILED"]]);
  });

  it("GET-based queries and mutations: refused as possible cross-site requests; mutations never run over GET", async () => {
    const query = await api.request({ path: `/graphql?query=${encodeURIComponent("query cop { __typename }")}` });
    expect([query.status, codes(query.body)]).toEqual([400, ["BAD_REQUEST"]]);
    expect(query.body.errors[0].message).toMatch(/^This operation has been blocked as a potential Cross-Site Request Forgery/);
    const admin = await api.key("probe-admin", "admin");
    const mutation = `/graphql?query=${encodeURIComponent('mutation cop { setClientAppEnabled(name: "scanner", enabled: false) { enabled } }')}`;
    const attempts: Array<Record<string, string>> = [
      { authorization: `Bearer ${admin}` },
      { authorization: `Bearer ${admin}`, "apollo-require-preflight": "1" },
    ];
    for (const headers of attempts) {
      const response = await api.request({ path: mutation, headers });
      expect([400, 405]).toContain(response.status);
    }
    expect((await api.gql("{ viewer { enabled } }", { key })).body).toEqual({ data: { viewer: { enabled: true } } });
  });

  it("tracing: no tracing or timing data is ever returned", async () => {
    const response = await api.gql("query cop { __typename }", { headers: { "apollo-federation-include-trace": "ftv1" } });
    expect([response.status, response.body]).toEqual([200, { data: { __typename: "Query" } }]);
  });

  it("unhandled errors: a malformed document and a failing database answer without stack traces or internals", async () => {
    const malformed = await api.gql("query cop { __typename {}");
    expect([malformed.status, codes(malformed.body), JSON.stringify(malformed.body)]).toEqual([
      400,
      ["GRAPHQL_PARSE_FAILED"],
      expect.not.stringMatching(/stacktrace|at .*\.js/),
    ]);

    await api.dataSource.query("ALTER TABLE publications RENAME TO publications_gone");
    try {
      const broken = await api.gql("{ publications { edges { node { name } } } }");
      expect(broken.body.errors).toEqual([
        {
          message: "Internal server error",
          locations: [{ line: 1, column: 3 }],
          path: ["publications"],
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        },
      ]);
      expect(JSON.stringify(broken.body)).not.toMatch(/publications_gone|SQL|stack/i);
      // The details are in the server's log instead.
      expect(logged.find((line) => line.msg === "internal error")?.err?.message).toMatch(/publications/);
    } finally {
      await api.dataSource.query("ALTER TABLE publications_gone RENAME TO publications");
    }
  });

  it("a 1 MB document: refused while parsing (400), or before it is read when over the body limit (413)", async () => {
    const justUnder = await api.gql(`query cop { ${"__typename ".repeat(90_000)}}`);
    expect([justUnder.status, codes(justUnder.body)]).toEqual([400, ["GRAPHQL_PARSE_FAILED"]]);
    expect(justUnder.body.errors[0].message).toBe("Syntax Error: Document contains more that 3000 tokens. Parsing aborted.");
    const over = await api.gql(`query cop { ${"__typename ".repeat(100_000)}}`);
    expect([over.status, codes(over.body)]).toEqual([413, ["PAYLOAD_TOO_LARGE"]]);
  });
});
