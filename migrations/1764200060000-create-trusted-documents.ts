import { type MigrationInterface, type QueryRunner, Table, TableIndex } from "typeorm";

import { id, timestampType } from "./column-types";

/** Trusted documents: the operations a client app registered, and whether it may send only those. */
export class CreateTrustedDocuments1764200060000 implements MigrationInterface {
  name = "CreateTrustedDocuments1764200060000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "client_apps" ADD COLUMN "trusted_documents_only" boolean NOT NULL DEFAULT false`);
    await queryRunner.createTable(
      new Table({
        name: "trusted_documents",
        columns: [
          id,
          { name: "client_app_id", type: "integer" },
          { name: "hash", type: "varchar", length: "64" },
          { name: "operation_name", type: "varchar", length: "200", isNullable: true },
          { name: "body", type: "text" },
          { name: "created_at", type: timestampType(queryRunner) },
        ],
        foreignKeys: [
          { columnNames: ["client_app_id"], referencedTableName: "client_apps", referencedColumnNames: ["id"], onDelete: "CASCADE" },
        ],
        indices: [new TableIndex({ name: "idx_trusted_documents_app_hash", columnNames: ["client_app_id", "hash"], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("trusted_documents");
    await queryRunner.query(`ALTER TABLE "client_apps" DROP COLUMN "trusted_documents_only"`);
  }
}
