import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id, timestampType } from "./column-types";

/** Every role a speaker was given, with when it was seen: people change jobs. */
export class CreateSpeakerRoles1764116120000 implements MigrationInterface {
  name = "CreateSpeakerRoles1764116120000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "speaker_roles",
        columns: [
          id,
          { name: "speaker_id", type: "integer" },
          { name: "role", type: "varchar", length: "300" },
          { name: "seen_at", type: timestampType(queryRunner) },
          { name: "story_id", type: "integer", isNullable: true },
        ],
        foreignKeys: [
          { columnNames: ["speaker_id"], referencedTableName: "speakers", referencedColumnNames: ["id"], onDelete: "CASCADE" },
          { columnNames: ["story_id"], referencedTableName: "stories", referencedColumnNames: ["id"], onDelete: "SET NULL" },
        ],
        indices: [
          new TableIndex({ name: "idx_speaker_roles_speaker", columnNames: ["speaker_id", "seen_at"] }),
          new TableIndex({ name: "idx_speaker_roles_story", columnNames: ["story_id"] }),
        ],
      }),
    );
    // Roles already stored become the first entries of their speakers' history.
    await queryRunner.query(
      `INSERT INTO "speaker_roles" ("speaker_id", "role", "seen_at", "story_id") SELECT "id", "role", CURRENT_TIMESTAMP, NULL FROM "speakers" WHERE "role" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("speaker_roles");
  }
}
