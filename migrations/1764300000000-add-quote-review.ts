import { type MigrationInterface, type QueryRunner, TableIndex } from "typeorm";

import { timestampType } from "./column-types";

/**
 * Whether an editor has reviewed a quote's attribution, when and who. The index serves the
 * review queue: unreviewed quotes, least certain first.
 */
export class AddQuoteReview1764300000000 implements MigrationInterface {
  name = "AddQuoteReview1764300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "quotes" ADD COLUMN "review_state" varchar(20) NOT NULL DEFAULT 'unreviewed'`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD COLUMN "reviewed_at" ${timestampType(queryRunner)} NULL`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD COLUMN "reviewed_by" varchar(200) NULL`);
    // Quotes an editor attributed before review states existed were, in effect, corrected.
    await queryRunner.query(`UPDATE "quotes" SET "review_state" = 'corrected' WHERE "attribution_rule" = 'editor'`);
    await queryRunner.createIndex(
      "quotes",
      new TableIndex({ name: "idx_quotes_review", columnNames: ["review_state", "attribution_confidence", "id"] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex("quotes", "idx_quotes_review");
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "reviewed_by"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "reviewed_at"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "review_state"`);
  }
}
