import { type MigrationInterface, type QueryRunner, TableIndex } from "typeorm";

import { groupStatements } from "../src/ingestion/statements";
import { param } from "./column-types";

/**
 * The statement a quote reports: quotes by one speaker with the same words (or one inside
 * the other) share `statement_id`, the id of the earliest report. Existing quotes are
 * grouped here with the same function ingestion uses.
 */
export class AddQuoteStatements1764300060000 implements MigrationInterface {
  name = "AddQuoteStatements1764300060000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "quotes" ADD COLUMN "statement_id" integer NULL`);
    // Quotes without a speaker belong to no statement and keep NULL.
    const rows: Array<{ id: number; speaker_id: number; text: string; published_at: string | Date }> = await queryRunner.query(
      `SELECT "id", "speaker_id", "text", "published_at" FROM "quotes" WHERE "speaker_id" IS NOT NULL ORDER BY "speaker_id", "id"`,
    );
    const bySpeaker = new Map<number, typeof rows>();
    for (const row of rows) bySpeaker.set(row.speaker_id, [...(bySpeaker.get(row.speaker_id) ?? []), row]);
    for (const quotes of bySpeaker.values()) {
      // Only the order matters here, and SQLite's UTC text sorts the same read either way.
      const groups = groupStatements(quotes.map((q) => ({ id: Number(q.id), text: q.text, publishedAt: new Date(q.published_at) })));
      for (const [id, statementId] of groups) {
        await queryRunner.query(`UPDATE "quotes" SET "statement_id" = ${param(queryRunner, 1)} WHERE "id" = ${param(queryRunner, 2)}`, [
          statementId,
          id,
        ]);
      }
    }
    await queryRunner.createIndex(
      "quotes",
      new TableIndex({ name: "idx_quotes_statement", columnNames: ["statement_id", "published_at", "id"] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex("quotes", "idx_quotes_statement");
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "statement_id"`);
  }
}
