import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id } from "./column-types";

export class CreateSpeakers1764115380000 implements MigrationInterface {
  name = "CreateSpeakers1764115380000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "speakers",
        columns: [
          id,
          { name: "slug", type: "varchar", length: "200", isUnique: true },
          { name: "name", type: "varchar", length: "300" },
          { name: "kind", type: "varchar", length: "20" },
          { name: "role", type: "varchar", length: "300", isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "speaker_aliases",
        columns: [
          { name: "speaker_id", type: "integer", isPrimary: true },
          { name: "alias", type: "varchar", length: "300", isPrimary: true },
        ],
        foreignKeys: [{ columnNames: ["speaker_id"], referencedTableName: "speakers", referencedColumnNames: ["id"], onDelete: "CASCADE" }],
        indices: [new TableIndex({ name: "idx_speaker_aliases_alias", columnNames: ["alias"] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("speaker_aliases");
    await queryRunner.dropTable("speakers");
  }
}
