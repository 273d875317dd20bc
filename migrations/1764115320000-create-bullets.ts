import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id } from "./column-types";

export class CreateBullets1764115320000 implements MigrationInterface {
  name = "CreateBullets1764115320000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "bullets",
        columns: [id, { name: "story_id", type: "integer" }, { name: "position", type: "integer" }, { name: "text", type: "text" }],
        foreignKeys: [{ columnNames: ["story_id"], referencedTableName: "stories", referencedColumnNames: ["id"], onDelete: "CASCADE" }],
        indices: [new TableIndex({ name: "idx_bullets_story_position", columnNames: ["story_id", "position"], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("bullets");
  }
}
