import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id, timestampType } from "./column-types";

/**
 * Publishers' feeds, the polling state of each (conditional-GET validators, status, lease),
 * and the items already taken from them so a poll skips what it has ingested.
 */
export class CreateFeeds1764300120000 implements MigrationInterface {
  name = "CreateFeeds1764300120000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "feeds",
        columns: [
          id,
          { name: "publication_id", type: "integer" },
          { name: "url", type: "varchar", length: "2000", isUnique: true },
          { name: "etag", type: "varchar", length: "500", isNullable: true },
          { name: "last_modified", type: "varchar", length: "100", isNullable: true },
          { name: "last_polled_at", type: timestamp, isNullable: true },
          { name: "last_status", type: "varchar", length: "20", isNullable: true },
          { name: "last_error", type: "varchar", length: "1000", isNullable: true },
          { name: "items_ingested", type: "integer", default: 0 },
          { name: "consecutive_failures", type: "integer", default: 0 },
          { name: "next_poll_at", type: timestamp },
          { name: "lease_owner", type: "varchar", length: "100", isNullable: true },
          { name: "lease_expires_at", type: timestamp, isNullable: true },
          { name: "created_at", type: timestamp },
        ],
        foreignKeys: [
          { columnNames: ["publication_id"], referencedTableName: "publications", referencedColumnNames: ["id"], onDelete: "CASCADE" },
        ],
        indices: [
          // Each poller tick asks which feeds are due.
          new TableIndex({ name: "idx_feeds_next_poll", columnNames: ["next_poll_at"] }),
          new TableIndex({ name: "idx_feeds_publication", columnNames: ["publication_id"] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "feed_items",
        columns: [
          id,
          { name: "feed_id", type: "integer" },
          { name: "guid", type: "varchar", length: "2000" },
          { name: "url", type: "varchar", length: "2000" },
          { name: "version", type: "varchar", length: "64" },
          { name: "story_id", type: "integer", isNullable: true },
          { name: "last_error", type: "varchar", length: "1000", isNullable: true },
          { name: "seen_at", type: timestamp },
        ],
        foreignKeys: [
          { columnNames: ["feed_id"], referencedTableName: "feeds", referencedColumnNames: ["id"], onDelete: "CASCADE" },
          { columnNames: ["story_id"], referencedTableName: "stories", referencedColumnNames: ["id"], onDelete: "SET NULL" },
        ],
        indices: [
          new TableIndex({ name: "idx_feed_items_guid", columnNames: ["feed_id", "guid"], isUnique: true }),
          // Items are also matched by link across feeds, so the link is indexed on its own.
          new TableIndex({ name: "idx_feed_items_url", columnNames: ["url"] }),
          new TableIndex({ name: "idx_feed_items_story", columnNames: ["story_id"] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("feed_items");
    await queryRunner.dropTable("feeds");
  }
}
