import { type QueryRunner } from "typeorm";

/**
 * Migrations run on SQLite and PostgreSQL. Most column types are spelled the same on both;
 * a UTC timestamp is not, so migrations ask for it here.
 */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.driver.options.type === "postgres" ? "timestamptz" : "datetime";
}

export const id = { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" as const };

/** The driver's positional parameter: `?` on SQLite, `$1` on PostgreSQL. */
export function param(queryRunner: QueryRunner, position: number): string {
  return queryRunner.connection.driver.options.type === "postgres" ? `$${position}` : "?";
}
