import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import Sqlite from "better-sqlite3";
import { Client } from "pg";
import { type DataSource, type EntityMetadata, type ObjectLiteral } from "typeorm";

import { entities, migrations } from "../../ormconfig";
import { ApiKey } from "../../src/access/api-key.entity";
import { ClientApp } from "../../src/access/client-app.entity";
import { createClientApp, rotateKey, setClientAppEnabled } from "../../src/access/client-apps";
import { Correction } from "../../src/correction/correction.entity";
import { Corrections } from "../../src/correction/corrections";
import { openDatabase } from "../../src/db/database";
import { loadDemoIfEmpty, readDemoContent } from "../../src/demo/load-demo";
import { Publication } from "../../src/publication/publication.entity";
import { Quote } from "../../src/quote/quote.entity";
import { SpeakerAlias } from "../../src/speaker/speaker-alias.entity";
import { Speaker } from "../../src/speaker/speaker.entity";
import { Story } from "../../src/story/story.entity";
import { ROOT, runCli } from "../helpers/cli";
import { TEST_POSTGRES } from "../helpers/temp-database";

const ADMIN_URL = TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";
const USAGE = "usage: npm run db:copy -- --from sqlite:PATH --to postgres://USER@HOST:PORT/DATABASE [--truncate] [--batch-size N]";

/**
 * The copy needs a PostgreSQL server. With NEWSGATE_TEST_POSTGRES set one is required (a
 * failure to connect fails the tests); otherwise the tests use a local server when one
 * answers. Jest decides what to skip synchronously, hence the probe in a child process.
 */
function whyNoPostgres(): string | null {
  if (TEST_POSTGRES) return null;
  const probe = spawnSync(
    process.execPath,
    [
      "-e",
      `const c = new (require("pg").Client)({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
       c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));`,
      ADMIN_URL,
    ],
    { cwd: ROOT, timeout: 5000 },
  );
  return probe.status === 0 ? null : `no PostgreSQL answers at ${ADMIN_URL} and NEWSGATE_TEST_POSTGRES is not set`;
}
const noPostgres = whyNoPostgres();
if (noPostgres) {
  // eslint-disable-next-line no-console
  console.log(`skipping db:copy tests into PostgreSQL: ${noPostgres}`);
}

/** A zone far from UTC, so a datetime read or written as local time would show. */
const copy = (args: string[]) => runCli("src/cli/db-copy.ts", args, { TZ: "America/New_York" });

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

let dir: string;
let sourceFile: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-db-copy-"));
  sourceFile = path.join(dir, "source.sqlite");
  // Always SQLite, whatever NEWSGATE_TEST_POSTGRES says: this is the database being moved.
  const source = await openDatabase({ databasePath: sourceFile });
  try {
    await loadDemoIfEmpty(source);
    await addWhatTheDemoLacks(source);
  } finally {
    await source.destroy();
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Rows in every table, and the awkward cases: a merge pointing at a higher id, JSON, booleans, a fractional real. */
async function addWhatTheDemoLacks(source: DataSource): Promise<void> {
  const speakers = source.getRepository(Speaker);
  const from = await speakers.findOneByOrFail({ slug: "ana-vesk" });
  const into = await speakers.findOneByOrFail({ slug: "elin-marsh" });
  expect(into.id).toBeGreaterThan(from.id);
  await new Corrections(source, "copy-test").mergeSpeakers(from.id, into.id);
  await createClientApp(source, { name: "ios-app", role: "reader" });
  await setClientAppEnabled(source, "ios-app", false);
  await rotateKey(source, "ios-app");
  await createClientApp(source, { name: "newsroom", role: "editor", maxDepth: 7, maxCost: 5000 });
  const quote = await source.getRepository(Quote).findOneOrFail({ where: {}, order: { id: "ASC" } });
  await source.getRepository(Quote).update({ id: quote.id }, { attributionConfidence: 0.75 });
}

/** Every row of an entity's table, in primary key order (compared in JS: the engines collate text differently). */
async function allRows(dataSource: DataSource, metadata: EntityMetadata): Promise<ObjectLiteral[]> {
  const rows = await dataSource.getRepository(metadata.target).find();
  const key = (row: ObjectLiteral) => metadata.primaryColumns.map((column) => column.getEntityValue(row) as string | number);
  return rows.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

async function sqliteTables(file: string): Promise<string[]> {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
  } finally {
    db.close();
  }
}

describe("npm run db:copy: refusals before touching PostgreSQL", () => {
  it("explains missing, unknown and malformed arguments in one line", async () => {
    const cases: Array<[string[], string]> = [
      [[], `--from is missing; ${USAGE}`],
      [["--from", "sqlite:x.sqlite"], `--to is missing; ${USAGE}`],
      [["--from", "sqlite:x.sqlite", "--to", "postgres://localhost/db", "--bogus"], `Unknown option '--bogus'; ${USAGE}`],
      [["--from", "sqlite:x.sqlite", "--to", "postgres://localhost/db", "extra"], `Unexpected argument 'extra'; ${USAGE}`],
      [["--from", "data.txt", "--to", "postgres://localhost/db"], '--from must be sqlite:PATH or a path ending in .sqlite, got "data.txt"'],
      [
        ["--from", "x.sqlite", "--to", "postgres://localhost/db", "--batch-size", "0"],
        '--batch-size must be a whole number from 1 to 10000, got "0"',
      ],
      [
        ["--from", "x.sqlite", "--to", "mysql://app:hunter2@localhost/db"],
        '--to must be a postgres://user@host:port/database URL, got "mysql://app:***@localhost/db"',
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => copy(args)));
    expect(results.map(({ code, stdout, stderr }) => [code, stdout, stderr])).toEqual(
      cases.map(([, message]) => [1, "", `db:copy: ${message}\n`]),
    );
  }, 60_000);

  it("names a source file that does not exist", async () => {
    const missing = path.join(dir, "missing.sqlite");
    const result = await copy(["--from", missing, "--to", "postgres://localhost/db"]);
    expect([result.code, result.stdout, result.stderr]).toEqual([1, "", `db:copy: source file ${missing} does not exist\n`]);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("refuses a source that is not migrated, and leaves it as it was", async () => {
    const bare = path.join(dir, "bare.sqlite");
    const db = new Sqlite(bare);
    db.exec(`CREATE TABLE notes (id integer PRIMARY KEY, text text)`);
    db.close();
    const before = sha256(bare);
    const result = await copy(["--from", `sqlite:${bare}`, "--to", "postgres://localhost/db"]);
    expect([result.code, result.stdout, result.stderr]).toEqual([
      1,
      "",
      `db:copy: source ${bare} is not migrated (${migrations.length} pending migrations, first ${migrations[0].name}); ` +
        `start Newsgate on it or run \`DATABASE_PATH=${bare} npm run migrate\` first, then copy\n`,
    ]);
    expect(await sqliteTables(bare)).toEqual(["notes"]);
    expect(sha256(bare)).toBe(before);
  });

  it("names a target it cannot reach in one line, without the password", async () => {
    const result = await copy(["--from", sourceFile, "--to", "postgres://newsgate:s3cret@127.0.0.1:1/nowhere"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^db:copy: Cannot open database postgres:\/\/newsgate:\*\*\*@127\.0\.0\.1:1\/nowhere: .+\n$/);
    expect(result.stderr).not.toContain("s3cret");
  });
});

(noPostgres ? describe.skip : describe)("npm run db:copy into PostgreSQL", () => {
  const created: string[] = [];
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  const freshDatabase = async () => {
    const name = `newsgate_copy_${process.pid}_${Date.now()}_${created.length}`;
    await admin(`CREATE DATABASE "${name}"`);
    created.push(name);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return url.toString();
  };
  afterAll(async () => {
    for (const name of created) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  const open = {
    source: (file = sourceFile) => openDatabase({ databasePath: file }, { migrate: false }),
    target: (url: string) => openDatabase({ databasePath: "", databaseUrl: url, poolSize: 2 }, { migrate: false }),
  };
  const tables = () => entities.map((entity) => ({ entity, metadata: sourceMetadata.get(entity)! }));
  const sourceMetadata = new Map<unknown, EntityMetadata>();
  const sourceCounts = new Map<string, number>();
  beforeAll(async () => {
    const source = await open.source();
    try {
      for (const entity of entities) {
        const metadata = source.getMetadata(entity);
        sourceMetadata.set(entity, metadata);
        sourceCounts.set(metadata.tableName, await source.getRepository(entity).count());
      }
    } finally {
      await source.destroy();
    }
  });

  /** What the target holds now, table by table. */
  async function targetCounts(url: string): Promise<Map<string, number>> {
    const target = await open.target(url);
    try {
      const counts = new Map<string, number>();
      for (const { entity, metadata } of tables()) counts.set(metadata.tableName, await target.getRepository(entity).count());
      return counts;
    } finally {
      await target.destroy();
    }
  }

  let targetUrl: string;

  it("copies every row with its id, timestamps, JSON, booleans and aliases, verifies counts and resets sequences", async () => {
    targetUrl = await freshDatabase();
    const sourceHash = sha256(sourceFile);
    // Small batches: every table spans pages (composite keys too), and the merged speaker is
    // inserted in an earlier statement than the speaker it points at.
    const result = await copy(["--from", `sqlite:${sourceFile}`, "--to", targetUrl, "--batch-size", "7"]);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(sha256(sourceFile)).toBe(sourceHash);

    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`db:copy: ${sourceFile} → ${targetUrl}`);
    const progress = (table: string) => lines.indexOf(`copying ${table}… ${sourceCounts.get(table)} rows`);
    for (const { metadata } of tables()) expect(progress(metadata.tableName)).toBeGreaterThan(0);
    for (const [parent, child] of [
      ["publications", "stories"],
      ["stories", "bullets"],
      ["bullets", "quotes"],
      ["speakers", "quotes"],
      ["speakers", "speaker_aliases"],
      ["client_apps", "api_keys"],
    ]) {
      expect(progress(parent)).toBeLessThan(progress(child));
    }
    expect(lines).toContainEqual(expect.stringMatching(/^rebuilding the search index… \d+ documents$/));
    const header = lines.findIndex((line) => /^table\s+source\s+target\s+ok$/.test(line));
    expect(header).toBeGreaterThan(0);
    const verification = lines.slice(header + 1, header + 1 + entities.length).map((line) => line.split(/\s+/));
    expect(new Map(verification.map(([table, source, target, ok]) => [table, [Number(source), Number(target), ok]]))).toEqual(
      new Map([...sourceCounts].map(([table, rows]) => [table, [rows, rows, "yes"]])),
    );
    const total = [...sourceCounts.values()].reduce((sum, rows) => sum + rows, 0);
    expect(lines.at(-1)).toMatch(new RegExp(`^copied ${total} rows in ${entities.length} tables in \\d+\\.\\d seconds$`));

    const source = await open.source();
    const target = await open.target(targetUrl);
    try {
      for (const { metadata } of tables()) {
        const [from, to] = [await allRows(source, metadata), await allRows(target, metadata)];
        expect({ table: metadata.tableName, rows: to }).toEqual({ table: metadata.tableName, rows: from });
      }

      // The same instants, as PostgreSQL stores them: not shifted by the copier's time zone.
      const demo = readDemoContent().stories[0];
      const [stored] = await target.query(
        `SELECT (EXTRACT(EPOCH FROM "published_at") * 1000)::bigint AS ms FROM "stories" WHERE "slug" = $1`,
        [demo.slug],
      );
      expect(Number(stored.ms)).toBe(Date.parse(demo.publishedAt));
      expect((await target.getRepository(Story).findOneByOrFail({ slug: demo.slug })).publishedAt).toEqual(new Date(demo.publishedAt));

      const bank = await target.getRepository(Speaker).findOneByOrFail({ slug: "veldorian-national-bank" });
      const aliases = await target.getRepository(SpeakerAlias).findBy({ speakerId: bank.id });
      expect(aliases.map((alias) => alias.alias).sort()).toEqual(["VNB", "the central bank"]);

      const merged = await target.getRepository(Speaker).findOneByOrFail({ slug: "ana-vesk" });
      expect(merged.mergedIntoId).toBe((await target.getRepository(Speaker).findOneByOrFail({ slug: "elin-marsh" })).id);
      const correction = await target.getRepository(Correction).findOneByOrFail({ targetType: "Speaker" });
      expect(typeof correction.after).toBe("object");
      expect(await target.getRepository(ClientApp).find({ select: { name: true, enabled: true }, order: { name: "ASC" } })).toEqual([
        { name: "ios-app", enabled: false },
        { name: "newsroom", enabled: true },
      ]);
      expect((await target.getRepository(ApiKey).find({ order: { id: "ASC" } })).map((key) => key.revokedAt instanceof Date)).toEqual([
        true,
        false,
        false,
      ]);
      expect(await target.getRepository(Quote).countBy({ attributionConfidence: 0.75 })).toBe(1);

      // The search index was rebuilt from the copied rows: the same documents as the source's.
      const document = (row: { kind: string; ref_id: number; title: string; body: string }) =>
        JSON.stringify([row.kind, Number(row.ref_id), row.title, row.body]);
      const sourceDocuments = (await source.query(`SELECT kind, ref_id, title, body FROM search_fts`)).map(document).sort();
      const targetDocuments = (await target.query(`SELECT kind, ref_id, title, body FROM search_documents`)).map(document).sort();
      expect(sourceDocuments.length).toBeGreaterThan(0);
      expect(targetDocuments).toEqual(sourceDocuments);

      // Sequences continue after the copied ids.
      const maxPublicationId = Math.max(...(await source.getRepository(Publication).find()).map((p) => p.id));
      const added = await target
        .getRepository(Publication)
        .save({ slug: "added-after-copy", name: "Added - UK", brand: "Added", edition: "UK", homepageUrl: null });
      expect(added.id).toBe(maxPublicationId + 1);
    } finally {
      await source.destroy();
      await target.destroy();
    }
  }, 60_000);

  it("refuses a target that holds data; a failed --truncate copy leaves it as it was; a good one replaces it", async () => {
    const before = await targetCounts(targetUrl);
    expect(before.get("publications")).toBe(sourceCounts.get("publications")! + 1);

    const refused = await copy(["--from", sourceFile, "--to", targetUrl]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^db:copy: the target already holds data \\(publications ${before.get("publications")}, stories \\d+, .*\\); pass --truncate to replace it\\n$`,
      ),
    );

    // SQLite does not enforce varchar lengths; PostgreSQL does, halfway through the copy.
    const badFile = path.join(dir, "bad.sqlite");
    fs.copyFileSync(sourceFile, badFile);
    const bad = await openDatabase({ databasePath: badFile });
    await bad.getRepository(Speaker).update({ slug: "grete-falk" }, { role: "x".repeat(301) });
    await bad.destroy();
    const failed = await copy(["--from", badFile, "--to", targetUrl, "--truncate"]);
    expect([failed.code, failed.stderr]).toEqual([
      1,
      "db:copy: copying speakers failed, nothing was written to the target: value too long for type character varying(300)\n",
    ]);
    expect(failed.stdout).toContain("copying bullets…");
    expect(await targetCounts(targetUrl)).toEqual(before);

    const replaced = await copy(["--from", sourceFile, "--to", targetUrl, "--truncate"]);
    expect([replaced.code, replaced.stderr]).toEqual([0, ""]);
    expect(replaced.stdout.split("\n")[0]).toBe(`db:copy: ${sourceFile} → ${targetUrl} (replacing its data)`);
    expect(await targetCounts(targetUrl)).toEqual(sourceCounts);
    const target = await open.target(targetUrl);
    try {
      expect(await target.getRepository(Publication).countBy({ slug: "added-after-copy" })).toBe(0);
      const [{ documents }] = await target.query(`SELECT COUNT(*)::int AS documents FROM search_documents WHERE kind = 'story'`);
      expect(documents).toBe(sourceCounts.get("stories"));
    } finally {
      await target.destroy();
    }
  }, 60_000);
});
