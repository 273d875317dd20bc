import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { migrations } from "../../ormconfig";
import { DatabaseError, openDatabase } from "../../src/db/database";
import { makePublication, makeSpeaker, makeStory } from "../helpers/factories";
import { createTempDatabase, onPostgres } from "../helpers/temp-database";

describe("migrations", () => {
  it("build every table, and every down() undoes its up()", async () => {
    const db = await createTempDatabase();
    try {
      const runner = db.dataSource.createQueryRunner();
      for (const table of [
        "publications",
        "stories",
        "story_topics",
        "bullets",
        "speakers",
        "speaker_aliases",
        "quotes",
        "story_relations",
      ]) {
        expect(await runner.hasTable(table)).toBe(true);
      }
      if (!onPostgres) {
        const journal = (await runner.query("PRAGMA journal_mode"))[0].journal_mode;
        const foreignKeys = (await runner.query("PRAGMA foreign_keys"))[0].foreign_keys;
        expect([journal, foreignKeys]).toEqual(["wal", 1]);
      }
      for (let i = 0; i < migrations.length; i++) await db.dataSource.undoLastMigration({ transaction: "each" });
      const tables = (await runner.getTables()).map((table) => table.name);
      const left = tables
        .filter((name) => !/^(pg_catalog|information_schema)\./.test(name))
        .map((name) => name.replace(/^public\./, ""))
        .filter((name) => !["migrations", "sqlite_sequence"].includes(name));
      expect(left).toEqual([]);
      await db.dataSource.runMigrations({ transaction: "each" });
      expect(await runner.hasTable("story_relations")).toBe(true);
      await runner.release();
    } finally {
      await db.cleanup();
    }
  });

  it("indexes every foreign key a loader uses", async () => {
    const db = await createTempDatabase();
    try {
      const indexed = async (table: string, column: string) => {
        if (onPostgres) {
          const rows: Array<{ indexdef: string }> = await db.dataSource.query("SELECT indexdef FROM pg_indexes WHERE tablename = $1", [
            table,
          ]);
          return rows.some((row) => new RegExp(`\\("?${column}"?[,)]`).test(row.indexdef));
        }
        const indexes: Array<{ name: string }> = await db.dataSource.query(`PRAGMA index_list(${table})`);
        for (const index of indexes) {
          const columns: Array<{ name: string }> = await db.dataSource.query(`PRAGMA index_info(${index.name})`);
          if (columns[0]?.name === column) return true;
        }
        return false;
      };
      for (const [table, column] of [
        ["stories", "publication_id"],
        ["story_topics", "story_id"],
        ["bullets", "story_id"],
        ["speaker_aliases", "speaker_id"],
        ["quotes", "story_id"],
        ["quotes", "bullet_id"],
        ["quotes", "speaker_id"],
        ["story_relations", "story_id"],
        ["story_relations", "related_story_id"],
      ]) {
        expect([table, column, await indexed(table, column)]).toEqual([table, column, true]);
      }
    } finally {
      await db.cleanup();
    }
  });

  it("give existing quotes a review state and group them into statements", async () => {
    const db = await createTempDatabase();
    try {
      const ds = db.dataSource;
      const publication = await makePublication(ds);
      const [speaker, other] = [await makeSpeaker(ds), await makeSpeaker(ds)];
      // Each story's bullet i quotes "words number i": the same words, across two stories.
      const first = await makeStory(ds, {
        publication,
        publishedAt: new Date("2026-01-01T00:00:00Z"),
        bullets: 2,
        speakers: [speaker, other],
      });
      await makeStory(ds, { publication, publishedAt: new Date("2026-01-02T00:00:00Z"), bullets: 2, speakers: [speaker, other] });
      await makeStory(ds, { publication, publishedAt: new Date("2026-01-03T00:00:00Z"), bullets: 1 });
      await ds.query(`UPDATE "quotes" SET "attribution_rule" = 'tag-after' WHERE "story_id" <> ${first.id}`);
      // Back to before the review-state migration (undoing everything newer than it), then forward again.
      const newer = migrations.length - migrations.findIndex((migration) => migration.name === "AddQuoteReview1764300000000");
      for (let i = 0; i < newer; i++) await ds.undoLastMigration({ transaction: "each" });
      await ds.runMigrations({ transaction: "each" });
      const rows: Array<{ id: number; speaker_id: number | null; statement_id: number | null; review_state: string }> = await ds.query(
        `SELECT "id", "speaker_id", "statement_id", "review_state" FROM "quotes" ORDER BY "id"`,
      );
      const ids = rows.map((row) => Number(row.id));
      expect(rows.map((row) => [row.statement_id === null ? null : Number(row.statement_id), row.review_state])).toEqual([
        [ids[0], "corrected"],
        [ids[1], "corrected"],
        [ids[0], "unreviewed"],
        [ids[1], "unreviewed"],
        [null, "unreviewed"],
      ]);
    } finally {
      await db.cleanup();
    }
  });

  it("refuses a database migrated by a newer Newsgate", async () => {
    const db = await createTempDatabase();
    await db.dataSource
      .createQueryBuilder()
      .insert()
      .into("migrations")
      .values({ timestamp: 9999999999999, name: "FromTheFuture9999999999999" })
      .execute();
    await db.dataSource.destroy();
    const name = db.settings.databaseUrl ?? db.databasePath;
    await expect(openDatabase(db.settings)).rejects.toEqual(
      new DatabaseError(
        `Database ${name} was migrated by a newer version of Newsgate (unknown migration FromTheFuture9999999999999); upgrade Newsgate or point DATABASE_PATH elsewhere`,
      ),
    );
    await db.cleanup();
  });

  it("refuses a path that cannot be a database", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-bad-"));
    const notSqlite = path.join(dir, "notes.sqlite");
    fs.writeFileSync(notSqlite, "this is not a database, just some text that is long enough to have a header ".repeat(10));
    try {
      await expect(openDatabase({ databasePath: dir })).rejects.toEqual(
        new DatabaseError(`Cannot open database ${dir}: it is a directory, not a file`),
      );
      await expect(openDatabase({ databasePath: notSqlite })).rejects.toThrow(
        /^Cannot open database .*notes\.sqlite: file is not a database$/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
