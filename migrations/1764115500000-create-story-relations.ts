import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id } from "./column-types";

export class CreateStoryRelations1764115500000 implements MigrationInterface {
  name = "CreateStoryRelations1764115500000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "story_relations",
        columns: [
          id,
          { name: "story_id", type: "integer" },
          { name: "related_story_id", type: "integer" },
          { name: "reason", type: "varchar", length: "30" },
          { name: "rank", type: "integer" },
        ],
        foreignKeys: [
          { columnNames: ["story_id"], referencedTableName: "stories", referencedColumnNames: ["id"], onDelete: "CASCADE" },
          { columnNames: ["related_story_id"], referencedTableName: "stories", referencedColumnNames: ["id"], onDelete: "CASCADE" },
        ],
        indices: [
          new TableIndex({ name: "idx_story_relations_pair", columnNames: ["story_id", "related_story_id"], isUnique: true }),
          new TableIndex({ name: "idx_story_relations_rank", columnNames: ["story_id", "rank", "id"] }),
          new TableIndex({ name: "idx_story_relations_related", columnNames: ["related_story_id"] }),
        ],
        checks: [{ name: "chk_story_relations_not_self", expression: "story_id <> related_story_id" }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("story_relations");
  }
}
