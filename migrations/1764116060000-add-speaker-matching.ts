import { type MigrationInterface, type QueryRunner, TableIndex } from "typeorm";

import { nameKey, tokenKey } from "../src/ingestion/names";
import { param } from "./column-types";

/**
 * Keys that let ingestion find a speaker across spellings (Zelenskyy / Zelensky), and the
 * pointer a merged speaker leaves behind so its old id still resolves. Existing rows get
 * their keys computed here, with the same functions ingestion uses.
 */
export class AddSpeakerMatching1764116060000 implements MigrationInterface {
  name = "AddSpeakerMatching1764116060000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const p = (position: number) => param(queryRunner, position);
    await queryRunner.query(`ALTER TABLE "speakers" ADD COLUMN "name_key" varchar(300) NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "speakers" ADD COLUMN "surname_key" varchar(100) NOT NULL DEFAULT ''`);
    await queryRunner.query(
      `ALTER TABLE "speakers" ADD COLUMN "merged_into_id" integer NULL REFERENCES "speakers" ("id") ON DELETE SET NULL`,
    );
    await queryRunner.query(`ALTER TABLE "speaker_aliases" ADD COLUMN "alias_key" varchar(300) NOT NULL DEFAULT ''`);
    const speakers: Array<{ id: number; name: string }> = await queryRunner.query(`SELECT "id", "name" FROM "speakers"`);
    for (const speaker of speakers) {
      await queryRunner.query(`UPDATE "speakers" SET "name_key" = ${p(1)}, "surname_key" = ${p(2)} WHERE "id" = ${p(3)}`, [
        nameKey(speaker.name),
        tokenKey(speaker.name.split(/\s+/).at(-1) ?? ""),
        speaker.id,
      ]);
    }
    const aliases: Array<{ speaker_id: number; alias: string }> = await queryRunner.query(
      `SELECT "speaker_id", "alias" FROM "speaker_aliases"`,
    );
    for (const alias of aliases) {
      await queryRunner.query(`UPDATE "speaker_aliases" SET "alias_key" = ${p(1)} WHERE "speaker_id" = ${p(2)} AND "alias" = ${p(3)}`, [
        nameKey(alias.alias),
        alias.speaker_id,
        alias.alias,
      ]);
    }
    await queryRunner.createIndex("speakers", new TableIndex({ name: "idx_speakers_name_key", columnNames: ["name_key"] }));
    await queryRunner.createIndex("speakers", new TableIndex({ name: "idx_speakers_surname_key", columnNames: ["surname_key"] }));
    await queryRunner.createIndex("speakers", new TableIndex({ name: "idx_speakers_merged_into", columnNames: ["merged_into_id"] }));
    await queryRunner.createIndex("speaker_aliases", new TableIndex({ name: "idx_speaker_aliases_key", columnNames: ["alias_key"] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex("speaker_aliases", "idx_speaker_aliases_key");
    await queryRunner.dropIndex("speakers", "idx_speakers_merged_into");
    await queryRunner.dropIndex("speakers", "idx_speakers_surname_key");
    await queryRunner.dropIndex("speakers", "idx_speakers_name_key");
    await queryRunner.query(`ALTER TABLE "speaker_aliases" DROP COLUMN "alias_key"`);
    await queryRunner.query(`ALTER TABLE "speakers" DROP COLUMN "merged_into_id"`);
    await queryRunner.query(`ALTER TABLE "speakers" DROP COLUMN "surname_key"`);
    await queryRunner.query(`ALTER TABLE "speakers" DROP COLUMN "name_key"`);
  }
}
