import { type MigrationInterface, type QueryRunner, Table } from "typeorm";

import { id } from "./column-types";

export class CreatePublications1764115200000 implements MigrationInterface {
  name = "CreatePublications1764115200000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "publications",
        columns: [
          id,
          { name: "slug", type: "varchar", length: "200", isUnique: true },
          { name: "name", type: "varchar", length: "300" },
          { name: "brand", type: "varchar", length: "300" },
          { name: "edition", type: "varchar", length: "100", isNullable: true },
          { name: "homepage_url", type: "varchar", length: "2000", isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("publications");
  }
}
