import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id, timestampType } from "./column-types";

export class CreateStories1764115260000 implements MigrationInterface {
  name = "CreateStories1764115260000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "stories",
        columns: [
          id,
          { name: "slug", type: "varchar", length: "300", isUnique: true },
          { name: "publication_id", type: "integer" },
          { name: "headline", type: "varchar", length: "1000" },
          { name: "standfirst", type: "text", isNullable: true },
          { name: "section", type: "varchar", length: "200", isNullable: true },
          { name: "byline", type: "varchar", length: "500", isNullable: true },
          { name: "kind", type: "varchar", length: "50" },
          { name: "published_at", type: timestamp },
          { name: "updated_at", type: timestamp },
          { name: "canonical_url", type: "varchar", length: "2000", isNullable: true, isUnique: true },
          { name: "access", type: "varchar", length: "20" },
          { name: "image_url", type: "varchar", length: "2000", isNullable: true },
          { name: "image_caption", type: "text", isNullable: true },
          { name: "image_credit", type: "varchar", length: "500", isNullable: true },
        ],
        foreignKeys: [
          { columnNames: ["publication_id"], referencedTableName: "publications", referencedColumnNames: ["id"], onDelete: "RESTRICT" },
        ],
        indices: [
          new TableIndex({ name: "idx_stories_publication", columnNames: ["publication_id"] }),
          new TableIndex({ name: "idx_stories_published", columnNames: ["published_at", "id"] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "story_topics",
        columns: [
          { name: "story_id", type: "integer", isPrimary: true },
          { name: "topic", type: "varchar", length: "200", isPrimary: true },
          { name: "position", type: "integer", default: 0 },
        ],
        foreignKeys: [{ columnNames: ["story_id"], referencedTableName: "stories", referencedColumnNames: ["id"], onDelete: "CASCADE" }],
        indices: [new TableIndex({ name: "idx_story_topics_topic", columnNames: ["topic", "story_id"] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("story_topics");
    await queryRunner.dropTable("stories");
  }
}
