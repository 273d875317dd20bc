import { rotateKey, setClientAppEnabled } from "../../src/access/client-apps";
import { startHttpServer, type HttpServer } from "../helpers/http-server";

const unauthenticated = (message: string) => ({ errors: [{ message, extensions: { code: "UNAUTHENTICATED" } }] });

describe("API keys and roles", () => {
  let api: HttpServer;
  let reader: string;
  let editor: string;
  let admin: string;
  beforeAll(async () => {
    api = await startHttpServer();
    reader = await api.key("web", "reader");
    editor = await api.key("desk", "editor");
    admin = await api.key("ops", "admin");
  });
  afterAll(() => api.close());

  it("answers anonymous reads by default, and tells a caller who it is", async () => {
    const anonymous = await api.gql("{ viewer { name } }");
    expect([anonymous.status, anonymous.body]).toEqual([200, { data: { viewer: null } }]);
    const bearer = await api.gql("{ viewer { name role enabled } }", { key: reader });
    expect([bearer.status, bearer.body]).toEqual([200, { data: { viewer: { name: "web", role: "READER", enabled: true } } }]);
    const header = await api.gql("{ viewer { name } }", { headers: { "x-api-key": editor } });
    expect(header.body).toEqual({ data: { viewer: { name: "desk" } } });
  });

  it("looks the key up in one SQL statement", async () => {
    await api.gql("{ __typename }", { key: reader });
    expect(api.reports.at(-1)!.sqlStatements).toBe(1);
  });

  it("refuses a wrong key, a malformed header and conflicting headers with 401", async () => {
    const wrong = await api.gql("{ __typename }", { key: "ng_not-a-real-key" });
    expect([wrong.status, wrong.headers.get("www-authenticate"), wrong.body]).toEqual([
      401,
      'Bearer realm="newsgate"',
      unauthenticated("The API key is not valid (unknown or revoked)"),
    ]);
    const basic = await api.gql("{ __typename }", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect([basic.status, basic.body]).toEqual([401, unauthenticated('The Authorization header must be "Bearer <API key>"')]);
    const both = await api.gql("{ __typename }", { key: reader, headers: { "x-api-key": editor } });
    expect([both.status, both.body]).toEqual([
      401,
      unauthenticated("The Authorization and x-api-key headers name different keys; send one"),
    ]);
    const empty = await api.gql("{ __typename }", { headers: { "x-api-key": " " } });
    expect([empty.status, empty.body]).toEqual([401, unauthenticated("The x-api-key header is empty")]);
  });

  it("refuses the keys of a disabled client app until it is enabled again", async () => {
    const key = await api.key("partner-widget", "reader");
    await setClientAppEnabled(api.dataSource, "partner-widget", false);
    const refused = await api.gql("{ __typename }", { key });
    expect([refused.status, refused.body]).toEqual([401, unauthenticated('The client app "partner-widget" is disabled')]);
    await setClientAppEnabled(api.dataSource, "partner-widget", true);
    expect((await api.gql("{ __typename }", { key })).status).toBe(200);
  });

  it("refuses a rotated-out key and accepts the new one", async () => {
    const old = await api.key("android", "reader");
    const { key } = await rotateKey(api.dataSource, "android");
    expect((await api.gql("{ __typename }", { key: old })).body).toEqual(unauthenticated("The API key is not valid (unknown or revoked)"));
    expect((await api.gql("{ viewer { name } }", { key })).body).toEqual({ data: { viewer: { name: "android" } } });
  });

  it("needs an editor key for every mutation: 401 without a key, 403 for a reader", async () => {
    const mutation = 'mutation { setClientAppEnabled(name: "web", enabled: true) { name } }';
    const anonymous = await api.gql(mutation);
    expect([anonymous.status, anonymous.body]).toEqual([401, unauthenticated("Mutations need an API key with the editor role")]);
    const byReader = await api.gql(mutation, { key: reader });
    expect([byReader.status, byReader.body]).toEqual([
      403,
      {
        errors: [
          { message: 'Mutations need the editor role; the client app "web" has the reader role', extensions: { code: "FORBIDDEN" } },
        ],
      },
    ]);
  });

  it("checks @Authorized roles on fields: managing client apps needs admin", async () => {
    const query = "{ clientApps { name } }";
    const anonymous = await api.gql(query);
    expect([anonymous.status, anonymous.body]).toEqual([
      401,
      {
        data: null,
        errors: [
          {
            message: "This needs an API key with the admin role",
            path: ["clientApps"],
            locations: [{ line: 1, column: 3 }],
            extensions: { code: "UNAUTHENTICATED" },
          },
        ],
      },
    ]);
    const byEditor = await api.gql(query, { key: editor });
    expect([byEditor.status, byEditor.body]).toEqual([
      403,
      {
        data: null,
        errors: [
          {
            message: 'This needs the admin role; the client app "desk" has the editor role',
            path: ["clientApps"],
            locations: [{ line: 1, column: 3 }],
            extensions: { code: "FORBIDDEN" },
          },
        ],
      },
    ]);
    const byAdmin = await api.gql(query, { key: admin });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.data.clientApps.map((app: { name: string }) => app.name)).toEqual(expect.arrayContaining(["desk", "ops", "web"]));
  });

  it("lets an admin register a client app over GraphQL; the new key works at once and a duplicate changes nothing", async () => {
    const create = `mutation Create($name: String!) { createClientApp(input: { name: $name, role: READER, rateLimitPerMinute: 30 }) { key clientApp { name role rateLimitPerMinute } } }`;
    const created = await api.gql(create, { key: admin, variables: { name: "tv-app" } });
    expect(created.body.data.createClientApp.clientApp).toEqual({ name: "tv-app", role: "READER", rateLimitPerMinute: 30 });
    expect((await api.gql("{ viewer { name } }", { key: created.body.data.createClientApp.key })).body).toEqual({
      data: { viewer: { name: "tv-app" } },
    });
    const again = await api.gql(create, { key: admin, variables: { name: "tv-app" } });
    expect(again.body.errors).toEqual([
      {
        message: 'a client app named "tv-app" already exists',
        path: ["createClientApp"],
        locations: [{ line: 1, column: 35 }],
        extensions: { code: "CONFLICT" },
      },
    ]);
    const bad = await api.gql(create, { key: admin, variables: { name: "Not Valid!" } });
    expect(bad.body.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", argument: "name" });
    const apps = await api.gql("{ clientApps { name } }", { key: admin });
    expect(apps.body.data.clientApps.filter((app: { name: string }) => app.name === "tv-app")).toHaveLength(1);
  });
});

describe("ALLOW_ANONYMOUS_READS=false", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ config: { allowAnonymousReads: false } });
  });
  afterAll(() => api.close());

  it("refuses requests without a key with 401 and serves those with one", async () => {
    const anonymous = await api.gql("{ __typename }");
    expect([anonymous.status, anonymous.body]).toEqual([
      401,
      unauthenticated("This server needs an API key: send Authorization: Bearer <key>"),
    ]);
    const key = await api.key("web", "reader");
    expect((await api.gql("{ __typename }", { key })).body).toEqual({ data: { __typename: "Query" } });
  });
});
