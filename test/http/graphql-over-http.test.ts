import zlib from "node:zlib";

import { type AuditResult, serverAudits } from "graphql-http";

import { startHttpServer, type HttpServer } from "../helpers/http-server";

const CSRF_MESSAGE =
  "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either specify a 'content-type' header (with a type that is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain) or provide a non-empty value for one of the following headers: x-apollo-operation-name, apollo-require-preflight\n";

/** Runs graphql-http's server audits, each request carrying `headers`. */
async function audit(url: string, headers: Record<string, string>): Promise<AuditResult[]> {
  const fetchFn = (input: string | URL | Request, init: RequestInit = {}) =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
  const results: AuditResult[] = [];
  for (const { fn } of serverAudits({ url, fetchFn })) results.push(await fn());
  return results;
}

const failedMusts = (results: AuditResult[]) => results.filter((result) => result.status === "error").map((result) => result.name);

describe("GraphQL over HTTP, in production mode", () => {
  let api: HttpServer;
  let key: string;
  beforeAll(async () => {
    api = await startHttpServer({ config: { env: "production" } });
    key = await api.key("auditor", "reader", { rateLimitPerMinute: 0 });
  });
  afterAll(() => api.close());

  it("passes every MUST audit of graphql-http's server suite", async () => {
    const results = await audit(api.url, { authorization: `Bearer ${key}` });
    expect(results.length).toBeGreaterThan(40);
    expect(failedMusts(results)).toEqual([]);
  });

  it("fails without a key only the audits that introspect (`__type`), refused with 401 by design", async () => {
    const results = await audit(api.url, {});
    expect(failedMusts(results)).toEqual([
      "MUST accept utf-8 encoded request",
      "MUST allow map {variables} parameter when accepting application/json",
    ]);
    const refused = results.find((result) => result.name === "MUST accept utf-8 encoded request");
    expect(refused?.status === "error" && [refused.response.status, await refused.response.json()]).toEqual([
      401,
      { errors: [{ message: "Introspection needs an API key in this deployment", extensions: { code: "UNAUTHENTICATED" } }] },
    ]);
  });

  it("keeps Apollo's CSRF prevention: a simple-request POST (text/plain) is refused and runs nothing", async () => {
    const admin = await api.key("csrf-admin", "admin");
    const mutation = 'mutation { setClientAppEnabled(name: "auditor", enabled: false) { enabled } }';
    const response = await api.request({
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: mutation }),
    });
    expect([response.status, response.body]).toEqual([400, { errors: [{ message: CSRF_MESSAGE, extensions: { code: "BAD_REQUEST" } }] }]);
    expect((await api.gql("{ viewer { enabled } }", { key })).body).toEqual({ data: { viewer: { enabled: true } } });
  });

  it("refuses a mutation sent with GET: CSRF without a preflight header, 405 with one", async () => {
    const admin = await api.key("get-admin", "admin");
    const path = `/graphql?query=${encodeURIComponent('mutation { setClientAppEnabled(name: "auditor", enabled: false) { enabled } }')}`;
    const simple = await api.request({ path, headers: { authorization: `Bearer ${admin}` } });
    expect([simple.status, simple.body]).toEqual([400, { errors: [{ message: CSRF_MESSAGE, extensions: { code: "BAD_REQUEST" } }] }]);
    const preflighted = await api.request({ path, headers: { authorization: `Bearer ${admin}`, "apollo-require-preflight": "true" } });
    expect([preflighted.status, preflighted.headers.get("allow"), preflighted.body]).toEqual([
      405,
      "POST",
      { errors: [{ message: "GET requests only support query operations, not mutation operations", extensions: { code: "BAD_REQUEST" } }] },
    ]);
    expect((await api.gql("{ viewer { enabled } }", { key })).body).toEqual({ data: { viewer: { enabled: true } } });
  });

  it("answers a malformed JSON body and an oversized body with GraphQL errors, not HTML", async () => {
    const malformed = await api.request({ method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect([malformed.status, malformed.body]).toEqual([
      400,
      { errors: [{ message: "The request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] },
    ]);
    const huge = await api.request({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }", pad: "x".repeat(1024 * 1024) }),
    });
    expect([huge.status, huge.body]).toEqual([
      413,
      { errors: [{ message: "The request body is over the limit of 1048576 bytes", extensions: { code: "PAYLOAD_TOO_LARGE" } }] },
    ]);
  });

  it("reads a compressed body as the body parser did, and refuses encodings and charsets it cannot read", async () => {
    const body = JSON.stringify({ query: "{ __typename }" });
    const gzipped = await api.request({
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: zlib.gzipSync(body),
    });
    expect([gzipped.status, gzipped.body]).toEqual([200, { data: { __typename: "Query" } }]);
    // A small compressed body that inflates past the limit is refused like a large one.
    const bomb = await api.request({
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "deflate" },
      body: zlib.deflateSync(JSON.stringify({ query: "{ __typename }", pad: " ".repeat(2 * 1024 * 1024) })),
    });
    expect([bomb.status, bomb.body.errors[0].extensions.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    const packed = await api.request({ method: "POST", headers: { "content-type": "application/json", "content-encoding": "zip" }, body });
    expect([packed.status, packed.body]).toEqual([
      415,
      { errors: [{ message: 'The request body\'s content encoding "zip" is not supported', extensions: { code: "BAD_REQUEST" } }] },
    ]);
    const latin = await api.request({ method: "POST", headers: { "content-type": "application/json; charset=iso-8859-1" }, body });
    expect([latin.status, latin.body.errors[0].message]).toEqual([
      415,
      'The request body\'s charset "iso-8859-1" is not supported; send UTF-8',
    ]);
    // JSON that is not an object or a list is not a GraphQL request.
    const scalar = await api.request({ method: "POST", headers: { "content-type": "application/json" }, body: '"{ __typename }"' });
    expect([scalar.status, scalar.body.errors[0].extensions.code]).toEqual([400, "BAD_REQUEST"]);
  });

  it("tags only GET answers with an ETag: a POST is never conditional, so its body is not hashed (caching.test.ts has the 304)", async () => {
    const query = "{ __typename }";
    const got = await api.request({ path: `/graphql?query=${encodeURIComponent(query)}`, headers: { "apollo-require-preflight": "true" } });
    expect([got.status, got.headers.get("etag")]).toEqual([200, expect.stringMatching(/^W\/"/)]);
    const posted = await api.request({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
    expect([posted.status, posted.body, posted.headers.get("etag")]).toEqual([200, { data: { __typename: "Query" } }, null]);
  });

  it("refuses an operation name the document does not define, the empty name included, with a 400", async () => {
    // The compiler and the SQL renderer took "" for no name and ran the only operation, and
    // Apollo, having resolved none, answered that with a 500.
    const names = ["", "Elsewhere"];
    const answers = [];
    for (const operationName of names) {
      const response = await api.request({
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "query Front { stories(first: 1) { totalCount } }", operationName }),
      });
      answers.push([response.status, response.body.data, response.body.errors[0].extensions.code]);
    }
    expect(answers).toEqual(names.map(() => [400, undefined, "OPERATION_RESOLUTION_FAILURE"]));
  });
});
