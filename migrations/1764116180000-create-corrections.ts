import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id, timestampType } from "./column-types";

/** The editorial corrections log: what changed, from what, to what, when and by whom. */
export class CreateCorrections1764116180000 implements MigrationInterface {
  name = "CreateCorrections1764116180000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "corrections",
        columns: [
          id,
          { name: "kind", type: "varchar", length: "40" },
          { name: "target_type", type: "varchar", length: "30" },
          { name: "target_id", type: "integer" },
          { name: "before", type: "text" },
          { name: "after", type: "text" },
          { name: "actor", type: "varchar", length: "200", isNullable: true },
          { name: "created_at", type: timestampType(queryRunner) },
        ],
        indices: [
          new TableIndex({ name: "idx_corrections_created", columnNames: ["created_at", "id"] }),
          new TableIndex({ name: "idx_corrections_target", columnNames: ["target_type", "target_id"] }),
        ],
      }),
    );
    await queryRunner.createIndex(
      "stories",
      new TableIndex({ name: "idx_stories_publication_headline", columnNames: ["publication_id", "headline"] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex("stories", "idx_stories_publication_headline");
    await queryRunner.dropTable("corrections");
  }
}
