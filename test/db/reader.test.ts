import { ClientApp } from "../../src/access/client-app.entity";
import { Correction, CorrectionKind } from "../../src/correction/correction.entity";
import { ReadSession, rowShape, selectList, Statement } from "../../src/db/reader";
import { Story } from "../../src/story/story.entity";
import { makePublication, makeStory } from "../helpers/factories";
import { createTempDatabase, type TempDatabase } from "../helpers/temp-database";

/**
 * The read path hydrates entities itself (compiled per statement, with its own reading of
 * SQLite's date format); what it makes must equal what TypeORM makes of the same row, on
 * whichever database the suite runs.
 */
describe("ReadSession hydration", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(() => db.cleanup());

  async function readBack<T extends object>(entity: new () => T, table: string, id: number): Promise<T> {
    const statement = new Statement(`readerTest_${table}`, () => `SELECT ${selectList(entity, "x")} FROM ${table} x WHERE x.id = :id`);
    const session = new ReadSession(db.dataSource, { statements: 0 });
    const [row] = await session.all(rowShape(db.dataSource, entity), statement, { id });
    return row;
  }

  it("reads dates (to the millisecond, and without milliseconds), booleans and JSON as TypeORM does", async () => {
    const publication = await makePublication(db.dataSource);
    const story = await makeStory(db.dataSource, { publication, publishedAt: new Date(Date.UTC(2026, 1, 28, 23, 59, 58, 7)) });
    const app = await db.dataSource.getRepository(ClientApp).save({
      name: "reader-test",
      role: "reader",
      rateLimitPerMinute: 60,
      enabled: false,
      trustedDocumentsOnly: true,
      createdAt: new Date(),
    } as ClientApp);
    const correction = await db.dataSource.getRepository(Correction).save({
      kind: CorrectionKind.RENAME_SPEAKER,
      targetType: "Speaker",
      targetId: 1,
      before: { name: "A", roles: ["x", null] },
      after: { name: "B", nested: { n: 2 } },
      actor: null,
      createdAt: new Date(),
    } as unknown as Correction);
    // A date written by hand without milliseconds reads through the driver's own conversion.
    if (db.dataSource.options.type !== "postgres") {
      await db.dataSource.query("UPDATE stories SET updated_at = '2026-03-01 10:00:00' WHERE id = ?", [story.id]);
    }

    for (const [entity, table, id] of [
      [Story, "stories", story.id],
      [ClientApp, "client_apps", app.id],
      [Correction, "corrections", correction.id],
    ] as const) {
      const expected = await db.dataSource.getRepository<object>(entity).findOneByOrFail({ id });
      const read = await readBack<object>(entity, table, id);
      expect(read).toBeInstanceOf(entity);
      expect(read).toEqual(expected);
    }
    expect((await readBack(Story, "stories", story.id)).publishedAt.toISOString()).toBe("2026-02-28T23:59:58.007Z");
  });
});
