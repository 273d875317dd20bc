import { type MigrationInterface, type QueryRunner } from "typeorm";

/**
 * How each quote was attributed: the rule, its confidence, and whether an editor set it.
 * Plain ALTER TABLE ADD/DROP COLUMN runs on SQLite (3.35+) and PostgreSQL alike, and keeps
 * SQLite from rebuilding the table.
 */
export class AddQuoteAttribution1764116000000 implements MigrationInterface {
  name = "AddQuoteAttribution1764116000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "quotes" ADD COLUMN "attribution_rule" varchar(30) NOT NULL DEFAULT 'editor'`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD COLUMN "attribution_confidence" real NOT NULL DEFAULT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "attribution_confidence"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "attribution_rule"`);
  }
}
