import fs from "node:fs";

import Sqlite from "better-sqlite3";
import { type DataSource, type EntityManager, type EntityMetadata, type ObjectLiteral } from "typeorm";
import { type ColumnMetadata } from "typeorm/metadata/ColumnMetadata";

import { entities, migrations } from "../../ormconfig";
import { SearchIndex } from "../search/search-index";

/** The copy cannot go ahead (or did not complete); the message is one line for an operator. */
export class CopyError extends Error {
  override name = "CopyError";
}

/** Rows per INSERT by default: few round trips, well under PostgreSQL's 65535 bind parameters. */
export const DEFAULT_BATCH_ROWS = 500;
const MAX_PARAMETERS = 65_535;
/** A progress line every this many rows within a large table. */
const PROGRESS_EVERY = 50_000;
/**
 * Tables the migrations create that are not entities: PostgreSQL's search index. It is
 * derived from the entity rows (and SQLite's FTS5 table has another shape), so it is not
 * copied: it is emptied with the entity tables and rebuilt by SearchIndex in the copy's
 * transaction.
 */
const DERIVED_TABLES = ["search_documents"];

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface CopyOptions {
  /** Empty the Newsgate tables of a target that holds data, in the copy's transaction. */
  truncate?: boolean;
  /** Rows read and inserted at a time (fewer when a table's columns would pass the parameter limit). */
  batchRows?: number;
  /** A line of progress: while a large table is copied, and once per table and step. */
  onProgress?: (line: string) => void;
}

/**
 * Checks, without writing to it, that a SQLite file is a Newsgate database with every
 * migration applied. `openDatabase(…, { migrate: false })` would find pending migrations
 * too, but TypeORM creates the `migrations` table while looking, and the copy never
 * modifies its source.
 */
export function assertCurrentSqliteSource(file: string): void {
  if (!fs.existsSync(file)) throw new CopyError(`source file ${file} does not exist`);
  if (!fs.statSync(file).isFile()) throw new CopyError(`source ${file} is not a file`);
  let applied: string[];
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).get();
    applied = hasTable ? (db.prepare(`SELECT "name" FROM "migrations"`).all() as Array<{ name: string }>).map((row) => row.name) : [];
  } catch (error) {
    throw new CopyError(`cannot read source ${file}: ${(error as Error).message}`);
  } finally {
    db?.close();
  }
  const pending = migrations.map((migration) => migration.name).filter((name) => !applied.includes(name));
  if (pending.length > 0) {
    throw new CopyError(
      `source ${file} is not migrated (${pending.length} pending migrations, first ${pending[0]}); ` +
        `start Newsgate on it or run \`DATABASE_PATH=${file} npm run migrate\` first, then copy`,
    );
  }
}

/**
 * Copies every entity table of `source` into `target` in one target transaction, keeping
 * primary keys, then checks row counts before committing. Rows go through the entities, so
 * each driver converts its own types (SQLite's UTC datetime strings, 0/1 booleans,
 * simple-json text). The source is read inside one transaction, so a Newsgate still
 * writing to it cannot make the copy inconsistent; what it writes afterwards is not copied.
 */
export async function copyDatabase(source: DataSource, target: DataSource, options: CopyOptions = {}): Promise<TableCount[]> {
  if (target.driver.options.type !== "postgres") throw new CopyError("the target must be a PostgreSQL database");
  const [sourceMigrations, targetMigrations] = await Promise.all([appliedMigrations(source), appliedMigrations(target)]);
  if (sourceMigrations.join() !== targetMigrations.join()) {
    throw new CopyError(
      `source and target schemas differ (source has ${sourceMigrations.length} migrations, target ${targetMigrations.length}); ` +
        `migrate both with the same Newsgate version`,
    );
  }
  const tables = await copyOrder(target);
  const derived: Array<{ tablename: string }> = await target.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY($1) ORDER BY tablename`,
    [DERIVED_TABLES],
  );
  const emptied = [...tables.map(({ metadata }) => metadata.tablePath), ...derived.map((row) => row.tablename)];
  const occupied = (await countRows(target.manager, emptied)).filter(({ rows }) => rows > 0);
  if (occupied.length > 0 && !options.truncate) {
    const held = occupied.map(({ table, rows }) => `${table} ${rows}`).join(", ");
    throw new CopyError(`the target already holds data (${held} rows); pass --truncate to replace it`);
  }

  let step = "emptying the target";
  try {
    return await source.transaction((reader) =>
      target.transaction(async (writer) => {
        if (occupied.length > 0) {
          await writer.query(`TRUNCATE TABLE ${emptied.map((table) => quote(target, table)).join(", ")}`);
        }
        for (const table of tables) {
          step = `copying ${table.metadata.tableName}`;
          await copyTable(reader, writer, table, options);
        }
        step = "rebuilding the search index";
        await SearchIndex.indexAll(writer);
        if (derived.length > 0) {
          const documents = await countRows(
            writer,
            derived.map((row) => row.tablename),
          );
          options.onProgress?.(`rebuilding the search index… ${documents.reduce((sum, { rows }) => sum + rows, 0)} documents`);
        }
        step = "checking row counts";

        const counts = await compareCounts(reader, writer, tables);
        const wrong = counts.find((count) => count.source !== count.target);
        if (wrong) throw new CopyError(`${wrong.table} has ${wrong.source} rows in the source but ${wrong.target} were copied`);
        // setval is not transactional: it comes last, so that a failure before it cannot leave a
        // rolled-back target's sequences pointing below its old ids.
        step = "resetting sequences";
        for (const { metadata } of tables) await resetSequence(writer, metadata);
        return counts;
      }),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CopyError(`${step} failed, nothing was written to the target: ${reason}`);
  }
}

/** Row counts of every entity table on both sides, as the operator's final check. */
export async function verifyCounts(source: DataSource, target: DataSource): Promise<TableCount[]> {
  return compareCounts(source.manager, target.manager, await copyOrder(target));
}

interface CopyTable {
  metadata: EntityMetadata;
  /** Columns that reference the table's own rows (speakers.merged_into_id): filled in after all rows exist. */
  selfReferences: ColumnMetadata[];
}

/**
 * The entity tables, parents before children. Newsgate's entities keep foreign keys as plain
 * columns, so the constraints come from the target's schema (written by the migrations),
 * together with any relation an entity declares.
 */
async function copyOrder(target: DataSource): Promise<CopyTable[]> {
  // In the order ormconfig lists the entities where the foreign keys allow: a familiar progress listing.
  const listed = (metadata: EntityMetadata) => (entities as unknown[]).indexOf(metadata.target) >>> 0;
  const metadatas = target.entityMetadatas
    .filter((metadata) => metadata.tableType === "regular" || metadata.tableType === "junction")
    .sort((a, b) => listed(a) - listed(b));
  const byTable = new Map(metadatas.map((metadata) => [metadata.tablePath, metadata]));
  const runner = target.createQueryRunner();
  let schema;
  try {
    schema = await runner.getTables(metadatas.map((metadata) => metadata.tablePath));
  } finally {
    await runner.release();
  }
  const references = new Map<EntityMetadata, Array<{ parent: EntityMetadata; columns: string[] }>>();
  for (const metadata of metadatas) {
    const fromSchema = (schema.find((table) => table.name === metadata.tablePath)?.foreignKeys ?? []).map((foreignKey) => ({
      parent: byTable.get(foreignKey.referencedTableName),
      columns: foreignKey.columnNames,
    }));
    const fromEntity = metadata.foreignKeys.map((foreignKey) => ({
      parent: byTable.get(foreignKey.referencedEntityMetadata.tablePath),
      columns: foreignKey.columnNames,
    }));
    references.set(
      metadata,
      [...fromSchema, ...fromEntity].filter((reference): reference is { parent: EntityMetadata; columns: string[] } => !!reference.parent),
    );
  }

  const ordered: CopyTable[] = [];
  const placed = new Set<EntityMetadata>();
  const visiting = new Set<EntityMetadata>();
  const visit = (metadata: EntityMetadata) => {
    if (placed.has(metadata)) return;
    if (visiting.has(metadata)) throw new CopyError(`cannot order tables: a foreign key cycle runs through ${metadata.tableName}`);
    visiting.add(metadata);
    const own = references.get(metadata) ?? [];
    for (const { parent } of own) if (parent !== metadata) visit(parent);
    visiting.delete(metadata);
    placed.add(metadata);
    const selfColumns = new Set(own.filter(({ parent }) => parent === metadata).flatMap(({ columns }) => columns));
    ordered.push({ metadata, selfReferences: metadata.columns.filter((column) => selfColumns.has(column.databaseName)) });
  };
  metadatas.forEach(visit);
  return ordered;
}

async function copyTable(
  reader: EntityManager,
  writer: EntityManager,
  { metadata, selfReferences }: CopyTable,
  { batchRows: wanted = DEFAULT_BATCH_ROWS, onProgress }: CopyOptions,
): Promise<void> {
  const columns = metadata.columns;
  const batchRows = Math.max(1, Math.min(wanted, Math.floor(MAX_PARAMETERS / columns.length)));
  const deferred: Array<{ where: ObjectLiteral; values: ObjectLiteral }> = [];
  let copied = 0;
  let reported = 0;
  for await (const rows of readInKeyOrder(reader, metadata, batchRows)) {
    for (const row of rows) {
      const links = selfReferences.filter((column) => column.getEntityValue(row) != null);
      if (links.length === 0) continue;
      // A row may point at one with a higher id, not inserted yet: insert it without the link now.
      deferred.push({
        where: metadata.getEntityIdMap(row)!,
        values: Object.fromEntries(links.map((column) => [column.propertyPath, column.getEntityValue(row)])),
      });
      for (const column of links) column.setEntityValue(row, null);
    }
    // The explicit column list makes TypeORM send the primary key instead of DEFAULT.
    await writer
      .createQueryBuilder()
      .insert()
      .into(
        metadata.target,
        columns.map((column) => column.propertyPath),
      )
      .values(rows)
      .updateEntity(false)
      .execute();
    copied += rows.length;
    if (copied - reported >= PROGRESS_EVERY) {
      reported = copied;
      onProgress?.(`copying ${metadata.tableName}… ${copied} rows`);
    }
  }
  for (const { where, values } of deferred) {
    await writer.createQueryBuilder().update(metadata.target).set(values).where(where).execute();
  }
  onProgress?.(`copying ${metadata.tableName}… ${copied} rows`);
}

/** Pages through a table by its primary key (a keyset, so a large table is not re-scanned per page). */
async function* readInKeyOrder(reader: EntityManager, metadata: EntityMetadata, batchRows: number): AsyncGenerator<ObjectLiteral[]> {
  const keys = metadata.primaryColumns;
  // (a, b) > (x, y) spelled out for any number of key columns: a > x OR (a = x AND b > y).
  const after = keys
    .map((key, index) =>
      [
        ...keys.slice(0, index).map((earlier, e) => `row.${earlier.propertyPath} = :key${e}`),
        `row.${key.propertyPath} > :key${index}`,
      ].join(" AND "),
    )
    .map((clause) => `(${clause})`)
    .join(" OR ");
  let lastKey: ObjectLiteral | undefined;
  for (;;) {
    const query = reader.createQueryBuilder(metadata.target, "row").limit(batchRows);
    for (const key of keys) query.addOrderBy(`row.${key.propertyPath}`, "ASC");
    if (lastKey) query.where(after, lastKey);
    const rows = await query.getMany();
    if (rows.length === 0) return;
    const last = rows[rows.length - 1];
    lastKey = Object.fromEntries(
      keys.map((key, index) => [`key${index}`, reader.connection.driver.preparePersistentValue(key.getEntityValue(last), key)]),
    );
    yield rows;
    if (rows.length < batchRows) return;
  }
}

async function resetSequence(writer: EntityManager, metadata: EntityMetadata): Promise<void> {
  const generated = metadata.primaryColumns.filter((column) => column.isGenerated && column.generationStrategy === "increment");
  if (generated.length !== 1) return;
  const column = quote(writer.connection, generated[0].databaseName);
  await writer.query(
    `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${column}), 1), MAX(${column}) IS NOT NULL) FROM ${quote(writer.connection, metadata.tablePath)}`,
    [quote(writer.connection, metadata.tablePath), generated[0].databaseName],
  );
}

async function countRows(manager: EntityManager, tables: string[]): Promise<Array<{ table: string; rows: number }>> {
  const counts = [];
  for (const table of tables) {
    const [{ rows }] = await manager.query(`SELECT COUNT(*) AS "rows" FROM ${quote(manager.connection, table)}`);
    counts.push({ table, rows: Number(rows) });
  }
  return counts;
}

async function compareCounts(source: EntityManager, target: EntityManager, tables: CopyTable[]): Promise<TableCount[]> {
  const paths = tables.map(({ metadata }) => metadata.tablePath);
  const [sourceRows, targetRows] = [await countRows(source, paths), await countRows(target, paths)];
  return tables.map(({ metadata }, index) => ({
    table: metadata.tableName,
    source: sourceRows[index].rows,
    target: targetRows[index].rows,
  }));
}

async function appliedMigrations(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ name: string }> = await dataSource.query(`SELECT "name" FROM "migrations"`);
  return rows.map((row) => row.name).sort();
}

function quote(dataSource: DataSource, name: string): string {
  return dataSource.driver.escape(name);
}
