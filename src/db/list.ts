import DataLoader from "dataloader";

import { pageSize } from "../relay/connection";
import { type Cursor, decodeCursor } from "../relay/cursor";
import { type LoaderOptions } from "./loader-options";
import { type ConnectionPage, type FieldRendering } from "./render";
import {
  type Dialect,
  dialectOf,
  type Params,
  type ReadSession,
  RowShape,
  rowShape,
  type RowTable,
  selectList,
  type Statement,
  statementFamily,
} from "./reader";

/**
 * A list Newsgate pages through, declared once: which rows belong to which parent, in which
 * order, with which cursor. The root page query, the nested page loader (one statement for
 * every parent on a screen) and the count loader are all derived from it, so the ordering
 * and the keyset condition exist in one place.
 */
export interface ListDeclaration<T, F = undefined> {
  /** Names the list's prepared statements. */
  name: string;
  entity: new () => T;
  /** The entity's table, joined to the list's rows by id. */
  table: string;
  /**
   * `SELECT parent AS parent_key, id AS id, sort key AS k FROM …` for the parents in
   * `:parentIds` (root lists select a constant parent and ignore it). `filter` may add
   * conditions; `variant(filter)` must name each distinct text this returns.
   */
  rows(d: Dialect, filter: F | undefined): string;
  variant?(filter: F | undefined): string;
  params?(filter: F | undefined, d: Dialect): Params;
  /**
   * Other entities every page row is shown with, read in the same statement: extra select
   * columns (prefixed, see `rowShape`) and joins on `e`, the list's entity.
   */
  with?: { select: string; joins: string };
  /** Descending lists show the largest key first ("newest first"); ties break on id the same way. */
  direction: "ASC" | "DESC";
  /** What the sort key is, for cursors. */
  cursor: "date" | "integer" | "number" | "string";
}

/** How one optional filter narrows a list: its condition, and its parameters (by default the value, under the filter's name). */
export interface FilterClause<V> {
  sql: (d: Dialect) => string;
  params?: (value: V, d: Dialect) => Params;
}

/**
 * `rows`, `variant` and `params` of a list narrowed by optional filters: each key set in the
 * filter adds its clause to `base` (which ends in a WHERE), in the order the clauses are given.
 */
export function filteredRows<F extends object>(
  base: string,
  clauses: { [K in keyof F]-?: FilterClause<NonNullable<F[K]>> },
): Required<Pick<ListDeclaration<unknown, F>, "rows" | "variant" | "params">> {
  const keys = Object.keys(clauses) as Array<keyof F>;
  const set = (filter: F | undefined) => (filter ? keys.filter((key) => filter[key] !== undefined) : []);
  return {
    rows: (d, filter) =>
      base +
      set(filter)
        .map((key) => ` AND ${clauses[key].sql(d)}`)
        .join(""),
    variant: (filter) => set(filter).join(","),
    params: (filter, d) => {
      const params: Params = {};
      for (const key of set(filter)) {
        const value = filter![key] as NonNullable<F[typeof key]>;
        Object.assign(params, clauses[key].params ? clauses[key].params(value, d) : { [key]: value });
      }
      return params;
    },
  };
}

/** One parent's page. `filter` must be plain JSON-able data: it is part of the loader key. */
export interface PageKey<F = undefined> {
  parentId: number;
  first: number;
  after: string | null;
  filter?: F;
}

const filterId = (filter: unknown): string => (filter === undefined ? "" : JSON.stringify(filter));
const pageKeyId = (key: PageKey<unknown>): string => `${key.parentId}:${key.first}:${key.after ?? ""}:${filterId(key.filter)}`;

interface Derived {
  page: (variant: string) => Statement;
  count: (variant: string) => Statement;
  root: (variant: string) => Statement;
  /** A filter seen with each variant: `rows` only needs to know which clauses to write. */
  filters: Map<string, unknown>;
}

const derived = new WeakMap<ListDeclaration<unknown, unknown>, Derived>();

function statementsOf<T, F>(list: ListDeclaration<T, F>): Derived {
  let made = derived.get(list as ListDeclaration<unknown, unknown>);
  if (made) return made;
  const after = (alias: string) => afterCondition(list, alias, ":afterKey", ":afterId");
  const order = (alias: string) => `${alias}.k ${list.direction}, ${alias}.id ${list.direction}`;
  // A variant is "<0|1 cursor>|<filter variant>".
  const filters = new Map<string, unknown>();
  const parse = (variant: string) => ({ cursor: variant.startsWith("1"), filter: filters.get(variant) as F | undefined });
  made = {
    filters,
    page: statementFamily(`${list.name}.page`, (d, variant: string) => {
      const { cursor, filter } = parse(variant);
      return (
        `SELECT ${columnsOf(list, "e")}${list.with ? `, ${list.with.select}` : ""}, r.parent_key AS "__parent" FROM (` +
        `SELECT x.parent_key, x.id, ROW_NUMBER() OVER (PARTITION BY x.parent_key ORDER BY ${order("x")}) AS rn ` +
        `FROM (${list.rows(d, filter)}) x${cursor ? ` WHERE ${after("x")}` : ""}) r ` +
        `JOIN ${list.table} e ON e.id = r.id ${list.with?.joins ?? ""} WHERE r.rn <= :limit ORDER BY r.parent_key, r.rn`
      );
    }),
    count: statementFamily(`${list.name}.count`, (d, variant: string) => {
      const { filter } = parse(variant);
      return `SELECT x.parent_key AS parent_key, COUNT(DISTINCT x.id) AS total FROM (${list.rows(d, filter)}) x GROUP BY x.parent_key`;
    }),
    root: statementFamily(`${list.name}.root`, (d, variant: string) => {
      const { cursor, filter } = parse(variant);
      return (
        `SELECT ${columnsOf(list, "e")}${list.with ? `, ${list.with.select}` : ""} FROM (${list.rows(d, filter)}) x ` +
        `JOIN ${list.table} e ON e.id = x.id ${list.with?.joins ?? ""}${cursor ? ` WHERE ${after("x")}` : ""} ORDER BY ${order("x")} LIMIT :limit`
      );
    }),
  };
  derived.set(list as ListDeclaration<unknown, unknown>, made);
  return made;
}

/**
 * Rows of `list` after the cursor whose key and id are `key` and `id` (SQL). A row-value
 * comparison, which both databases turn into a seek on the list's (key, id) index; the
 * equivalent `k < key OR (k = key AND id < id)` made PostgreSQL walk the index from the top
 * of the list to the cursor, most of a front page's database time.
 */
function afterCondition(list: ListDeclaration<unknown, unknown>, alias: string, key: string, id: string): string {
  const op = list.direction === "DESC" ? "<" : ">";
  return `(${alias}.k, ${alias}.id) ${op} (${key}, ${id})`;
}

/**
 * `list`, unfiltered, as the page of a connection rendered in SQL (render.ts): the rows of the
 * one parent `parent` (an SQL expression; null for a root list), in the loaders' order, with
 * their cursors, after the `after` argument's cursor and as many as `first` asks.
 */
export function renderedPage<T, F>(
  list: ListDeclaration<T, F>,
  f: FieldRendering,
  parent: string | null,
  page?: Partial<ConnectionPage>,
): ConnectionPage {
  const d = f.d.dialect;
  const dialect: Dialect = parent === null ? d : { ...d, ids: (column) => `${column} = ${parent}` };
  const cursor = (x: string) => f.d.cursor(list.cursor === "date" ? f.d.dateTime(`${x}.k`) : `${x}.k`, `${x}.id`);
  const after = (args: Record<string, unknown>) => cursorParams(list as unknown as ListDeclaration<unknown, unknown>, args.after as string);
  return {
    rows: list.rows(dialect, undefined),
    direction: list.direction,
    table: list.table,
    cursor,
    first: (args) => pageSize(args.first as number | null | undefined),
    check: (args) => {
      pageSize(args.first as number | null | undefined);
      // The resolvers read `after: ""` as no cursor; a rendered page would read it as one.
      if (args.after === "") throw new Error("an empty cursor is left to the resolvers");
      if (args.after != null) after(args);
    },
    after:
      f.args.after == null
        ? null
        : (x) =>
            afterCondition(
              list as unknown as ListDeclaration<unknown, unknown>,
              x,
              f.param((args) => after(args).afterKey),
              f.param((args) => after(args).afterId),
            ),
    ...page,
  };
}

const columnsOf = <T, F>(list: ListDeclaration<T, F>, alias: string): string => selectList(list.entity, alias);

function variantOf<T, F>(list: ListDeclaration<T, F>, cursor: boolean, filter: F | undefined): string {
  const variant = `${cursor ? 1 : 0}|${list.variant?.(filter) ?? ""}`;
  const { filters } = statementsOf(list);
  if (!filters.has(variant)) filters.set(variant, filter);
  return variant;
}

function cursorParams(list: ListDeclaration<unknown, unknown>, after: string | null): Params {
  if (!after) return {};
  const cursor: Cursor = decodeCursor(after, list.cursor);
  return { afterKey: list.cursor === "date" ? new Date(cursor.key) : cursor.key, afterId: cursor.id };
}

/** The first `limit` rows of a root list (parent 0), after `after`; `loaded` as for `pageLoader`. */
export function rootPage<T, F>(
  session: ReadSession,
  list: ListDeclaration<T, F>,
  limit: number,
  after: string | null,
  filter?: F,
  loaded?: (entities: readonly T[], table: RowTable) => void,
): Promise<T[]> {
  const statement = statementsOf(list).root(variantOf(list, Boolean(after), filter));
  const params = {
    parentIds: [0],
    limit,
    ...cursorParams(list as ListDeclaration<unknown, unknown>, after),
    ...list.params?.(filter, dialectOf(session.engine)),
  };
  return session.all(rowShape(session.dataSource, list.entity), statement, params, loaded);
}

/** The total of a root list. */
export async function rootCount<T, F>(session: ReadSession, list: ListDeclaration<T, F>, filter?: F): Promise<number> {
  const statement = statementsOf(list).count(variantOf(list, false, filter));
  const rows = await session.rows(statement, { parentIds: [0], ...list.params?.(filter, dialectOf(session.engine)) });
  return Number(rows[0]?.total ?? 0);
}

/**
 * A DataLoader of pages (one per parent). Keys that share `first`, `after` and `filter` are
 * one statement; in practice every parent on a screen asks for the same page.
 */
export function pageLoader<T, F = undefined>(
  session: ReadSession,
  list: ListDeclaration<T, F>,
  options: LoaderOptions,
  /** Called with each statement's entities and their rows, e.g. to prime other loaders. */
  loaded?: (entities: readonly T[], table: RowTable) => void,
): DataLoader<PageKey<F>, T[], string> {
  const statements = statementsOf(list);
  const shape = rowShape(session.dataSource, list.entity);
  return new DataLoader<PageKey<F>, T[], string>(
    async (keys) => {
      const pages = new Map<string, T[]>();
      for (const group of groupPageKeys(keys)) {
        const { first, after, filter } = group[0];
        const statement = statements.page(variantOf(list, Boolean(after), filter));
        const params = {
          parentIds: group.map((key) => key.parentId),
          limit: first + 1,
          ...cursorParams(list as ListDeclaration<unknown, unknown>, after),
          ...list.params?.(filter, dialectOf(session.engine)),
        };
        const table = await session.table(statement, params);
        const parentAt = RowShape.position(table, "__parent");
        const byParent = new Map<number, T[]>();
        const all: T[] = [];
        for (let i = 0; i < table.rows.length; i++) {
          const entity = session.hydrate(shape, table, i);
          all.push(entity);
          const parent = Number(table.rows[i][parentAt]);
          const list = byParent.get(parent);
          if (list) list.push(entity);
          else byParent.set(parent, [entity]);
        }
        loaded?.(all, table);
        for (const key of group) pages.set(pageKeyId(key), byParent.get(key.parentId) ?? []);
      }
      return keys.map((key) => pages.get(pageKeyId(key)) ?? []);
    },
    { ...options, cacheKeyFn: pageKeyId },
  );
}

/** `totalCount` of a nested list, for many parents (and filters) in one GROUP BY per filter. */
export function countLoader<T, F = undefined>(
  session: ReadSession,
  list: ListDeclaration<T, F>,
  options: LoaderOptions,
): DataLoader<{ parentId: number; filter?: F }, number, string> {
  const statements = statementsOf(list);
  const keyId = (key: { parentId: number; filter?: F }) => `${key.parentId}:${filterId(key.filter)}`;
  return new DataLoader<{ parentId: number; filter?: F }, number, string>(
    async (keys) => {
      const counts = new Map<string, number>();
      const groups = new Map<string, { filter: F | undefined; ids: number[] }>();
      for (const key of keys) {
        const id = filterId(key.filter);
        const group = groups.get(id);
        if (group) group.ids.push(key.parentId);
        else groups.set(id, { filter: key.filter, ids: [key.parentId] });
      }
      for (const [id, { filter, ids }] of groups) {
        const statement = statements.count(variantOf(list, false, filter));
        const rows = await session.rows(statement, { parentIds: [...new Set(ids)], ...list.params?.(filter, dialectOf(session.engine)) });
        for (const row of rows) counts.set(`${Number(row.parent_key)}:${id}`, Number(row.total));
      }
      return keys.map((key) => counts.get(keyId(key)) ?? 0);
    },
    { ...options, cacheKeyFn: keyId },
  );
}

/** Groups page requests that share `first`, `after` and filter, so each group is one statement. */
export function groupPageKeys<K extends { first: number; after: string | null; filter?: unknown }>(keys: readonly K[]): K[][] {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const id = `${key.first}\u0000${key.after ?? ""}\u0000${filterId(key.filter)}`;
    const group = groups.get(id);
    if (group) group.push(key);
    else groups.set(id, [key]);
  }
  return [...groups.values()];
}
