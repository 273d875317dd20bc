import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { registerManifest, sha256 } from "../../src/access/trusted-documents";
import { runCli } from "../helpers/cli";
import { readOperation } from "../helpers/operations";
import { startHttpServer, type HttpServer } from "../helpers/http-server";

const storyPage = readOperation("story-page");
const manifest = JSON.stringify({
  format: "apollo-persisted-query-manifest",
  version: 1,
  operations: [{ id: sha256(storyPage), name: "StoryPage", type: "query", body: storyPage }],
});

describe("trusted documents", () => {
  let api: HttpServer;
  let widget: string;
  beforeAll(async () => {
    api = await startHttpServer({ demo: true });
    widget = await api.key("partner-widget", "reader");
    await registerManifest(api.dataSource, "partner-widget", manifest);
  });
  afterAll(() => api.close());

  it("runs a registered operation sent by hash over GET, so a CDN can cache the URL", async () => {
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(storyPage) } });
    const result = await api.request({
      method: "GET",
      path: `/graphql?extensions=${encodeURIComponent(extensions)}`,
      headers: { authorization: `Bearer ${widget}`, "apollo-require-preflight": "true" },
    });
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.story.headline).toEqual(expect.any(String));
  });

  it("refuses any other operation from that client app, even as full text", async () => {
    const result = await api.gql("{ speakers(first: 1) { totalCount } }", { key: widget });
    expect([result.status, result.body]).toEqual([
      403,
      {
        errors: [
          {
            message: 'The client app "partner-widget" may run only the operations of its registered manifest',
            extensions: { code: "FORBIDDEN" },
          },
        ],
      },
    ]);
    // Other client apps are not restricted.
    const reader = await api.key("web", "reader");
    expect((await api.gql("{ speakers(first: 1) { totalCount } }", { key: reader })).status).toBe(200);
  });

  it("rejects a manifest whose ids are not the hashes of its bodies, and keeps the old one", async () => {
    const wrong = JSON.stringify({ operations: [{ id: "0".repeat(64), body: "{ __typename }" }] });
    await expect(registerManifest(api.dataSource, "partner-widget", wrong)).rejects.toThrow(
      "operation 1: its id is not the sha256 of its body",
    );
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(storyPage) } });
    const still = await api.request({
      method: "GET",
      path: `/graphql?extensions=${encodeURIComponent(extensions)}`,
      headers: { authorization: `Bearer ${widget}`, "apollo-require-preflight": "true" },
    });
    expect(still.status).toBe(200);
  });
});

describe("npm run client -- manifest", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-manifest-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("registers a manifest from a file, and says what is wrong with a bad one in one line", async () => {
    const env = { DATABASE_PATH: path.join(dir, "db.sqlite"), LOAD_DEMO: "false" };
    expect((await runCli("src/cli/client.ts", ["create", "widget", "--role", "reader"], env)).code).toBe(0);
    fs.writeFileSync(path.join(dir, "manifest.json"), manifest);
    const ok = await runCli("src/cli/client.ts", ["manifest", "widget", path.join(dir, "manifest.json")], env);
    expect([ok.code, ok.stdout]).toEqual([0, 'Registered 1 operation for "widget"; it may run only those from now on.\n']);
    fs.writeFileSync(path.join(dir, "bad.json"), "{ nope");
    const bad = await runCli("src/cli/client.ts", ["manifest", "widget", path.join(dir, "bad.json")], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^client: the manifest is not JSON: .+\n$/);
    const cleared = await runCli("src/cli/client.ts", ["manifest-clear", "widget"], env);
    expect([cleared.code, cleared.stdout]).toEqual([0, '"widget" may run any operation again.\n']);
  });
});
