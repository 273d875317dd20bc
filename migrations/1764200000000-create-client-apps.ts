import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id, timestampType } from "./column-types";

/** Client apps and their API keys (stored as hashes only). */
export class CreateClientApps1764200000000 implements MigrationInterface {
  name = "CreateClientApps1764200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: "client_apps",
        columns: [
          id,
          { name: "name", type: "varchar", length: "100", isUnique: true },
          { name: "role", type: "varchar", length: "20" },
          { name: "rate_limit_per_minute", type: "integer" },
          { name: "max_depth", type: "integer", isNullable: true },
          { name: "max_aliases", type: "integer", isNullable: true },
          { name: "max_cost", type: "integer", isNullable: true },
          { name: "enabled", type: "boolean" },
          { name: "created_at", type: timestamp },
        ],
        checks: [
          { name: "chk_client_apps_role", expression: "role IN ('reader', 'editor', 'admin')" },
          { name: "chk_client_apps_rate_limit", expression: "rate_limit_per_minute >= 0" },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "api_keys",
        columns: [
          id,
          { name: "client_app_id", type: "integer" },
          { name: "key_hash", type: "varchar", length: "64" },
          { name: "prefix", type: "varchar", length: "20" },
          { name: "created_at", type: timestamp },
          { name: "revoked_at", type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          { columnNames: ["client_app_id"], referencedTableName: "client_apps", referencedColumnNames: ["id"], onDelete: "CASCADE" },
        ],
        indices: [
          // Every authenticated request looks its key up by hash: this is that one index.
          new TableIndex({ name: "idx_api_keys_hash", columnNames: ["key_hash"], isUnique: true }),
          new TableIndex({ name: "idx_api_keys_client_app", columnNames: ["client_app_id"] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("api_keys");
    await queryRunner.dropTable("client_apps");
  }
}
