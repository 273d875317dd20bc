import { type MigrationInterface, type QueryRunner } from "typeorm";

import { SearchIndex } from "../src/search/search-index";

/**
 * The full-text index: an FTS5 table on SQLite, a table with a generated tsvector and a GIN
 * index on PostgreSQL. Existing stories and speakers are indexed here.
 */
export class CreateSearchIndex1764116240000 implements MigrationInterface {
  name = "CreateSearchIndex1764116240000";

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === "postgres") {
      await queryRunner.query(`CREATE TABLE "search_documents" (
        "id" SERIAL PRIMARY KEY,
        "kind" varchar(20) NOT NULL,
        "ref_id" integer NOT NULL,
        "story_id" integer NULL,
        "title" text NOT NULL,
        "body" text NOT NULL,
        "document" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', "title"), 'A') || setweight(to_tsvector('simple', "body"), 'B')) STORED
      )`);
      await queryRunner.query(`CREATE INDEX "idx_search_documents_document" ON "search_documents" USING GIN ("document")`);
      await queryRunner.query(`CREATE INDEX "idx_search_documents_ref" ON "search_documents" ("kind", "ref_id")`);
      await queryRunner.query(`CREATE INDEX "idx_search_documents_story" ON "search_documents" ("story_id")`);
    } else {
      // Text arrives folded (lower case, no accents); unicode61 only has to split words.
      await queryRunner.query(
        `CREATE VIRTUAL TABLE "search_fts" USING fts5(title, body, kind UNINDEXED, ref_id UNINDEXED, story_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')`,
      );
    }
    await SearchIndex.indexAll(queryRunner.manager);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      queryRunner.connection.driver.options.type === "postgres" ? `DROP TABLE "search_documents"` : `DROP TABLE "search_fts"`,
    );
  }
}
