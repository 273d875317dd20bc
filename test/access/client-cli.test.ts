import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { openDatabase } from "../../src/db/database";
import { createServer } from "../../src/server";
import { runCli } from "../helpers/cli";

/** `npm run client -- …` against a database file, the way an operator runs it. */
describe("npm run client (src/cli/client.ts)", () => {
  let dir: string;
  let env: Record<string, string>;
  const client = (...args: string[]) => runCli("src/cli/client.ts", args, env);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-client-"));
    env = { DATABASE_PATH: path.join(dir, "db.sqlite"), NODE_ENV: "development" };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Whether `key` is accepted by a server on the same database: the viewer's name, or the error code. */
  async function whoIs(key: string): Promise<string> {
    const dataSource = await openDatabase({ databasePath: env.DATABASE_PATH });
    const server = await createServer({ config: { env: "test" }, dataSource });
    await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.httpServer.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ viewer { name } }" }),
      });
      const body: any = await response.json();
      return body.data?.viewer?.name ?? body.errors[0].extensions.code;
    } finally {
      await server.stop();
      await dataSource.destroy();
    }
  }

  const keyIn = (stdout: string) => stdout.match(/^(ng_[A-Za-z0-9_-]{43})$/m)![1];

  it("creates a client app and prints its key once; the key works", async () => {
    const created = await client("create", "ios-app", "--role", "reader", "--rate-limit", "120");
    expect([created.code, created.stderr]).toEqual([0, ""]);
    expect(created.stdout).toMatch(
      /^Created client app "ios-app" \(role reader, 120 requests per minute\)\.\n.*shown only now.*\nng_[A-Za-z0-9_-]{43}\n$/,
    );
    expect(await whoIs(keyIn(created.stdout))).toBe("ios-app");

    const listed = await client("list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`ios-app\tenabled\trole reader, 120 requests per minute\tkeys: ${keyIn(created.stdout).slice(0, 9)}…`);
    expect(listed.stdout).not.toContain(keyIn(created.stdout));
  });

  it("disables and enables an app, rotates its key (the old one is revoked) and tunes its limits", async () => {
    const created = await client("create", "android", "--role", "editor");
    const first = keyIn(created.stdout);
    expect((await client("disable", "android")).stdout).toBe('Disabled client app "android": its keys are refused from now on.\n');
    expect(await whoIs(first)).toBe("UNAUTHENTICATED");
    expect((await client("enable", "android")).stdout).toBe('Enabled client app "android".\n');
    expect(await whoIs(first)).toBe("android");

    const rotated = await client("rotate", "android");
    expect(rotated.stdout).toMatch(/^Issued a new key for "android" and revoked 1 older key\./);
    expect(await whoIs(first)).toBe("UNAUTHENTICATED");
    expect(await whoIs(keyIn(rotated.stdout))).toBe("android");

    const tuned = await client("set", "android", "--max-depth", "6", "--max-cost", "500", "--rate-limit", "0");
    expect(tuned.stdout).toBe('Updated client app "android" (role editor, no rate limit, max depth 6, max cost 500).\n');
    const reset = await client("set", "android", "--max-depth", "default");
    expect(reset.stdout).toBe('Updated client app "android" (role editor, no rate limit, max cost 500).\n');
  });

  it("answers bad input with one line and exit 1, and changes nothing", async () => {
    const cases: Array<[string[], string]> = [
      [["create", "x", "--role", "god"], 'client: role must be reader, editor or admin, got "god"'],
      [
        ["create", "Bad Name", "--role", "reader"],
        'client: client app name must be 1-100 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit; got "Bad Name"',
      ],
      [["create", "x", "--role", "reader", "--rate-limit", "lots"], 'client: --rate-limit must be a whole number, got "lots"'],
      [["create", "x", "--role", "reader", "--colour", "red"], "client: unknown or misused option --colour (--help for usage)"],
      [["create", "ios-app", "--role", "admin"], 'client: a client app named "ios-app" already exists'],
      [["disable", "nobody"], 'client: no client app is named "nobody"'],
      [["set", "ios-app"], "client: set needs at least one of --role, --rate-limit, --max-depth, --max-aliases, --max-cost"],
      [
        ["frobnicate"],
        'client: unknown command "frobnicate" (commands: create, list, set, disable, enable, rotate, manifest, manifest-clear; --help for usage)',
      ],
    ];
    const before = (await client("list")).stdout;
    const results = await Promise.all(cases.map(([args]) => client(...args)));
    expect(results.map((result) => [result.code, result.stderr, result.stdout])).toEqual(
      cases.map(([, message]) => [1, `${message}\n`, ""]),
    );
    expect((await client("list")).stdout).toBe(before);
  }, 120_000);
});
