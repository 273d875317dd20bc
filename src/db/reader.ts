import type BetterSqlite3 from "better-sqlite3";
import { type Pool } from "pg";
import { type DataSource, type EntityTarget, getMetadataArgsStorage, type ObjectLiteral } from "typeorm";
import { DateUtils } from "typeorm/util/DateUtils";

import { encodeCursor } from "../relay/cursor";
import { type NodeTypeName, toGlobalId } from "../relay/global-id";
import { type SqlStats, SqlStatsLogger } from "./sql-stats";

/**
 * The read path's way to the database: hand-written statements, prepared once per shape and
 * engine, answering plain rows that become entities without TypeORM's query builder or
 * hydration (both showed up as a fifth of the read path's time). TypeORM stays for
 * migrations and writes; both share the same connection (SQLite) or pool (PostgreSQL).
 *
 * Statements are written once with `:name` parameters. `d.ids(":ids")` is "is one of this
 * list" in a form whose text does not depend on the list's length (json_each on SQLite,
 * `= ANY` on PostgreSQL), so one prepared statement serves every batch size.
 */
export type Engine = "sqlite" | "postgres";

export interface Dialect {
  engine: Engine;
  /** `column IN list` where the list is one parameter. */
  ids(column: string, parameter: string): string;
}

const DIALECTS: Record<Engine, Dialect> = {
  sqlite: { engine: "sqlite", ids: (column, parameter) => `${column} IN (SELECT value FROM json_each(${parameter}))` },
  postgres: { engine: "postgres", ids: (column, parameter) => `${column} = ANY(${parameter}::int[])` },
};

export const dialectOf = (engine: Engine): Dialect => DIALECTS[engine];

export type Params = Record<string, unknown>;

/** One statement's text for each engine, made once: its identity is the prepared-statement cache key. */
export class Statement {
  private readonly texts = new Map<Engine, { text: string; order: string[] }>();

  constructor(
    readonly name: string,
    private readonly build: (d: Dialect) => string,
    /**
     * Whether PostgreSQL keeps it prepared on every pooled connection (for the connection's
     * life). Statements made per client document (render.ts) are not all kept, or a stream of
     * new documents would grow every connection without bound.
     */
    readonly keepPrepared = true,
  ) {}

  /** The text for `engine`: SQLite takes `@name` parameters, PostgreSQL `$n` in first-use order. */
  textFor(engine: Engine): { text: string; order: string[] } {
    let made = this.texts.get(engine);
    if (!made) {
      const source = this.build(DIALECTS[engine]);
      const order: string[] = [];
      // `::` is PostgreSQL's cast, never a parameter.
      const text = source.replace(/(?<!:):([A-Za-z_]\w*)/g, (_match, name: string) => {
        if (engine === "sqlite") return `@${name}`;
        let index = order.indexOf(name);
        if (index < 0) index = order.push(name) - 1;
        return `$${index + 1}`;
      });
      made = { text, order };
      this.texts.set(engine, made);
    }
    return made;
  }
}

/** Statements whose text depends on options (a cursor or not, a filter or not): one per variant, made on first use. */
export function statementFamily<K extends string>(name: string, build: (d: Dialect, variant: K) => string): (variant: K) => Statement {
  const made = new Map<K, Statement>();
  return (variant) => {
    let statement = made.get(variant);
    if (!statement) {
      statement = new Statement(`${name}:${variant}`, (d) => build(d, variant));
      made.set(variant, statement);
    }
    return statement;
  };
}

/**
 * A statement's answer as arrays, one per row, with the column names once: building a V8
 * object with thirty named properties per row is most of what reading wide rows costs.
 */
export interface RowTable {
  statement: Statement;
  columns: readonly string[];
  rows: readonly unknown[][];
}

interface Engineered {
  engine: Engine;
  run(statement: Statement, params: Params): Promise<ObjectLiteral[]>;
  table(statement: Statement, params: Params): Promise<RowTable>;
}

const engines = new WeakMap<DataSource, Engineered>();

function engineOf(dataSource: DataSource): Engineered {
  let made = engines.get(dataSource);
  if (made) return made;
  if (dataSource.options.type === "postgres") {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    made = {
      engine: "postgres",
      async run(statement, params) {
        const { text, order } = statement.textFor("postgres");
        const values = order.map((name) => params[name]);
        // A named query is parsed and planned once per pooled connection.
        const result = await pool.query({ name: statement.keepPrepared ? statement.name : undefined, text, values });
        return result.rows;
      },
      async table(statement, params) {
        const { text, order } = statement.textFor("postgres");
        const values = order.map((name) => params[name]);
        const result = await pool.query<unknown[]>({
          name: statement.keepPrepared ? statement.name : undefined,
          text,
          values,
          rowMode: "array",
        });
        return { statement, columns: result.fields.map((field) => field.name), rows: result.rows };
      },
    };
  } else {
    const db = (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
    // What answers rendered in SQL (render.ts) need that SQLite has no function for: the same code the resolvers use.
    db.function("newsgate_gid", { deterministic: true }, (type, id) => toGlobalId(type as NodeTypeName, Number(id)));
    db.function("newsgate_cursor", { deterministic: true }, (key, id) => encodeCursor({ key: key as string | number, id: Number(id) }));
    // Weak: a statement made for a client document goes when Apollo's document cache drops the document.
    const prepared = new WeakMap<Statement, BetterSqlite3.Statement>();
    const preparedRaw = new WeakMap<Statement, { compiled: BetterSqlite3.Statement; columns: string[] }>();
    const bind = (params: Params) => {
      const bound: Params = {};
      for (const key in params) bound[key] = toSqlite(params[key]);
      return bound;
    };
    made = {
      engine: "sqlite",
      async run(statement, params) {
        let compiled = prepared.get(statement);
        if (!compiled) {
          compiled = db.prepare(statement.textFor("sqlite").text);
          prepared.set(statement, compiled);
        }
        return compiled.all(bind(params)) as ObjectLiteral[];
      },
      async table(statement, params) {
        let made = preparedRaw.get(statement);
        if (!made) {
          const compiled = db.prepare(statement.textFor("sqlite").text).raw(true);
          made = { compiled, columns: compiled.columns().map((column) => column.name) };
          preparedRaw.set(statement, made);
        }
        return { statement, columns: made.columns, rows: made.compiled.all(bind(params)) as unknown[][] };
      },
    };
  }
  engines.set(dataSource, made);
  return made;
}

function toSqlite(value: unknown): unknown {
  if (Array.isArray(value)) return JSON.stringify(value);
  // TypeORM's storage format for Date columns on SQLite, so comparisons are string-ordered alike.
  if (value instanceof Date) return DateUtils.mixedDateToUtcDatetimeString(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/**
 * One request's reads: every statement counts into its `SqlStats` (no AsyncLocalStorage on
 * the read path), and every row of a tagged kind is reported to `seen`, which is how the
 * response cache learns what an answer shows.
 */
export class ReadSession {
  readonly engine: Engine;
  private readonly db: Engineered;
  /** Told of every entity read, when someone (the response cache) needs to know. */
  observe: ((entity: object) => void) | null = null;

  constructor(
    readonly dataSource: DataSource,
    readonly stats: SqlStats,
  ) {
    this.db = engineOf(dataSource);
    this.engine = this.db.engine;
  }

  rows(statement: Statement, params: Params): Promise<ObjectLiteral[]> {
    this.counted(statement, params);
    return this.db.run(statement, params);
  }

  /** Rows as arrays (`RowTable`), for wide rows that become entities. */
  table(statement: Statement, params: Params): Promise<RowTable> {
    this.counted(statement, params);
    return this.db.table(statement, params);
  }

  /** Counts a statement into the request, and shows it when LOG_SQL is on, as TypeORM's are. */
  private counted(statement: Statement, params: Params): void {
    this.stats.statements += 1;
    const logger = this.dataSource.logger;
    if (logger instanceof SqlStatsLogger) logger.echoQuery(statement.textFor(this.engine).text, params);
  }

  /**
   * Rows as instances of `shape`'s entity, in statement order. `loaded` then sees them with
   * their rows, e.g. to read what was joined to them and prime other loaders.
   */
  async all<T>(
    shape: RowShape<T>,
    statement: Statement,
    params: Params,
    loaded?: (entities: readonly T[], table: RowTable) => void,
  ): Promise<T[]> {
    const table = await this.table(statement, params);
    const out = new Array<T>(table.rows.length);
    for (let i = 0; i < table.rows.length; i++) out[i] = this.hydrate(shape, table, i);
    loaded?.(out, table);
    return out;
  }

  /** Row `index` of `table` as an instance of `shape`'s entity. */
  hydrate<T>(shape: RowShape<T>, table: RowTable, index: number): T {
    const entity = shape.hydrate(table, table.rows[index]);
    this.observe?.(entity as object);
    return entity;
  }

  /** Entities read some other way (TypeORM), reported like those read here. */
  saw(entities: readonly object[]): void {
    if (this.observe) for (const entity of entities) this.observe(entity);
  }
}

const selectLists = new Map<unknown, Map<string, string>>();

/**
 * `alias.db_column AS "property", …` for every column of `entity`, from the decorators'
 * metadata (explicit `name`s, else the property name: Newsgate's naming strategy).
 */
export function selectList(entity: new () => unknown, alias: string, prefix = ""): string {
  let byAlias = selectLists.get(entity);
  if (!byAlias) selectLists.set(entity, (byAlias = new Map()));
  let list = byAlias.get(alias + "\u0000" + prefix);
  if (!list) {
    list = getMetadataArgsStorage()
      .filterColumns(entity)
      .map((column) => `${alias}.${column.options.name ?? column.propertyName} AS "${prefix}${column.propertyName}"`)
      .join(", ");
    byAlias.set(alias + "\u0000" + prefix, list);
  }
  return list;
}

/**
 * How an entity's rows become instances (resolvers and `Node` type resolution rely on
 * `instanceof`), converting only the columns whose driver format differs (dates, booleans,
 * JSON text).
 *
 * For each statement the shape compiles a hydrator: a function that fills a new instance
 * from fixed row positions, property by property in the same order. V8 then sees one hidden
 * class and monomorphic stores, where a loop over the fields stored by computed names.
 */
export class RowShape<T> {
  private readonly fields: Array<{ property: string; key: string; convert: ((value: unknown) => unknown) | null }> = [];
  /** Per statement, since a statement's columns never change. */
  private readonly hydrators = new WeakMap<Statement, (row: readonly unknown[]) => T>();

  /** `prefix`: the row's keys are the properties prefixed (`sp_name`), for a second entity in one row. */
  constructor(
    dataSource: DataSource,
    private readonly entity: new () => T,
    prefix = "",
  ) {
    const driver = dataSource.driver;
    for (const column of dataSource.getMetadata(entity as EntityTarget<ObjectLiteral>).columns) {
      const isDate = column.type === Date || column.type === "datetime" || column.type === "timestamp";
      const converted = isDate || column.type === Boolean || column.type === "boolean" || column.type === "simple-json";
      const byDriver = (value: unknown) => (value === null || value === undefined ? value : driver.prepareHydratedValue(value, column));
      this.fields.push({
        property: column.propertyName,
        key: prefix + column.propertyName,
        convert: !converted ? null : isDate ? (value) => storedUtcDate(value) ?? byDriver(value) : byDriver,
      });
    }
  }

  hydrate(table: RowTable, row: readonly unknown[]): T {
    let hydrator = this.hydrators.get(table.statement);
    if (!hydrator) {
      hydrator = this.compile(table.columns);
      this.hydrators.set(table.statement, hydrator);
    }
    return hydrator(row);
  }

  private compile(columns: readonly string[]): (row: readonly unknown[]) => T {
    const converters = this.fields.map((field) => field.convert);
    const assignments = this.fields.map((field, i) => {
      const at = columns.indexOf(field.key);
      const value = at < 0 ? "undefined" : `row[${at}]`;
      return `entity[${JSON.stringify(field.property)}] = ${field.convert ? `convert[${i}](${value})` : value};`;
    });
    // Property names come from the entity's column metadata, positions from the statement: no outside text.
    const make = new Function(
      "Entity",
      "convert",
      `return function hydrate(row) { const entity = new Entity(); ${assignments.join(" ")} return entity; };`,
    );
    return make(this.entity, converters) as (row: readonly unknown[]) => T;
  }

  /** Where column `name` is in `table`'s rows. */
  static position(table: RowTable, name: string): number {
    return table.columns.indexOf(name);
  }
}

/**
 * TypeORM's SQLite format for a date, "YYYY-MM-DD HH:MM:SS.SSS" in UTC, read without the
 * driver's regular expressions and string parsing (a front page holds thousands); null for
 * anything else, which the driver converts.
 */
function storedUtcDate(value: unknown): Date | null {
  if (typeof value !== "string" || value.length !== 23 || value.charCodeAt(10) !== 32) return null;
  const digits = (from: number, to: number): number => {
    let n = 0;
    for (let i = from; i < to; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      n = n * 10 + d;
    }
    return n;
  };
  const time = Date.UTC(digits(0, 4), digits(5, 7) - 1, digits(8, 10), digits(11, 13), digits(14, 16), digits(17, 19), digits(20, 23));
  const ok = value[4] === "-" && value[7] === "-" && value[13] === ":" && value[16] === ":" && value[19] === ".";
  return ok && !Number.isNaN(time) ? new Date(time) : null;
}

const shapes = new WeakMap<DataSource, Map<string, Map<unknown, RowShape<unknown>>>>();

/** The (cached) row shape of `entity` on `dataSource`, reading keys with `prefix`. */
export function rowShape<T>(dataSource: DataSource, entity: new () => T, prefix = ""): RowShape<T> {
  let byPrefix = shapes.get(dataSource);
  if (!byPrefix) shapes.set(dataSource, (byPrefix = new Map()));
  let byEntity = byPrefix.get(prefix);
  if (!byEntity) byPrefix.set(prefix, (byEntity = new Map()));
  let shape = byEntity.get(entity) as RowShape<T> | undefined;
  if (!shape) {
    shape = new RowShape(dataSource, entity, prefix);
    byEntity.set(entity, shape as RowShape<unknown>);
  }
  return shape;
}
