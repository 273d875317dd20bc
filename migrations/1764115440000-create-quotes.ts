import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id, timestampType } from "./column-types";

export class CreateQuotes1764115440000 implements MigrationInterface {
  name = "CreateQuotes1764115440000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "quotes",
        columns: [
          id,
          { name: "story_id", type: "integer" },
          { name: "bullet_id", type: "integer" },
          { name: "speaker_id", type: "integer", isNullable: true },
          { name: "text", type: "text" },
          { name: "start_offset", type: "integer" },
          { name: "end_offset", type: "integer" },
          { name: "context", type: "text" },
          { name: "published_at", type: timestampType(queryRunner) },
        ],
        foreignKeys: [
          { columnNames: ["story_id"], referencedTableName: "stories", referencedColumnNames: ["id"], onDelete: "CASCADE" },
          { columnNames: ["bullet_id"], referencedTableName: "bullets", referencedColumnNames: ["id"], onDelete: "CASCADE" },
          { columnNames: ["speaker_id"], referencedTableName: "speakers", referencedColumnNames: ["id"], onDelete: "SET NULL" },
        ],
        indices: [
          new TableIndex({ name: "idx_quotes_bullet", columnNames: ["bullet_id", "start_offset"] }),
          new TableIndex({ name: "idx_quotes_story", columnNames: ["story_id"] }),
          new TableIndex({ name: "idx_quotes_speaker_published", columnNames: ["speaker_id", "published_at", "id"] }),
          new TableIndex({ name: "idx_quotes_published", columnNames: ["published_at", "id"] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("quotes");
  }
}
