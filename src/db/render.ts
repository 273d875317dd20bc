import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  type GraphQLField,
  GraphQLFloat,
  GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { getArgumentValues, getVariableValues } from "graphql/execution/values";

import { type Dialect, dialectOf, type Engine, type Params, type ReadSession, Statement } from "./reader";

/**
 * Answers rendered by the database: a query whose every field has a known SQL form becomes
 * one statement that builds the answer's JSON inside the database, as PostGraphile does,
 * instead of resolvers, loaders and entities in Node. On the story page that is one
 * statement instead of five, and none of the per-field work.
 *
 * Each concept declares how its type renders (`<concept>.render.ts`), beside its resolver;
 * the resolvers stay the reference. A document with any field, argument or directive
 * without a rendering (a mutation, a filter, a field under @Authorized) runs through the
 * resolvers as before, as does a request whose arguments the resolvers would refuse: they
 * report it with their own errors. `test/api/rendered.test.ts` holds the renderings to the
 * resolvers' answers on both engines.
 */

/** How one GraphQL object type renders; `fields` names every field that can. */
export interface RenderedType {
  fields: Record<string, FieldRender>;
  /**
   * What the response cache learns from each object of this type an answer shows (see
   * `ReadSession.observe`): SQL values read back with it, and the entity they stand for.
   */
  observed?: { values: (a: string) => string[]; entity: (values: unknown[]) => object };
}

/** A field's SQL: a value that is already what the answer shows (a JSON value inside json_object). */
export type FieldRender = (f: FieldRendering) => string;

/** What a field's rendering may use. */
export interface FieldRendering {
  /** The parent's row alias. */
  a: string;
  d: SqlJson;
  /**
   * The field's arguments, as the request gives them. Renderings may only branch on whether
   * one is null (or on a boolean given directly): every other value goes into the statement
   * through `param`, so that one statement text serves every request with the same document.
   */
  args: Record<string, unknown>;
  /** A placeholder for a value computed from the arguments on each request; if it throws, the resolvers answer. */
  param(value: (args: Record<string, unknown>) => unknown): string;
  /** A check of the arguments on each request, whatever the selection uses; if it throws, the resolvers answer. */
  check(valid: (args: Record<string, unknown>) => void): void;
  /** A table alias not used elsewhere in the statement. */
  alias(base: string): string;
  /** The field's selection over one row `alias` of `from` (a FROM clause); null when there is none. */
  one(alias: string, from: string): string;
  /** The field's selection over each row `alias` of `from`, in `order`, as a JSON array. */
  many(alias: string, from: string, order: string): string;
  /** The field's selection over the parent's own row (an object made of the parent's columns). */
  here(): string;
  /** The field's selection as a connection (edges, pageInfo, totalCount) over `page`. */
  connection(page: ConnectionPage): string;
}

/**
 * One page of a list as SQL: `rows` gives `id` and sort key `k` of every row (see
 * `ListDeclaration.rows`); the page is `first` of them after the cursor.
 */
export interface ConnectionPage {
  rows: string;
  direction: "ASC" | "DESC";
  /** The list entity's table, joined as `e` for the edge fields. */
  table: string;
  /** `cursor` of an edge over page row `x`. */
  cursor: (x: string) => string;
  /** The page size, or null for the default. */
  first: (args: Record<string, unknown>) => number;
  /** The condition for rows after the request's cursor; null when it has none. */
  after: ((x: string) => string) | null;
  /** Throws for arguments the list's resolver refuses (a page size or cursor out of bounds). */
  check: (args: Record<string, unknown>) => void;
  /** The edge's `node` over the list entity's row `e`; the default is that row itself. */
  node?: (f: FieldRendering, e: string) => string;
  /** Other edge fields over the list entity's row `e`. */
  edge?: Record<string, (e: string, d: SqlJson) => string>;
}

/** The SQL each engine builds JSON with. */
export interface SqlJson {
  dialect: Dialect;
  object(members: ReadonlyArray<readonly [string, string]>): string;
  array(values: readonly string[]): string;
  /** Aggregate: the rows' `element` in `order` as a JSON array, `[]` for none. */
  list(element: string, order: string): string;
  bool(condition: string): string;
  globalId(type: string, id: string): string;
  /** A stored date column as GraphQL's DateTime shows it (UTC, milliseconds, Z). */
  dateTime(column: string): string;
  /** `encodeCursor({ key, id })` of a key that is already a JSON-able SQL value. */
  cursor(key: string, id: string): string;
  /** A JSON value as its text (`JsonText`). */
  text(json: string): string;
}

const base64url = (text: string) => `rtrim(translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

/**
 * An object builder: `fn('key', value, …)`. Both engines cap a function's arguments (SQLite at
 * 127, PostgreSQL at 100), so a selection wider than `maxMembers` is not rendered.
 */
const objectOf =
  (fn: string, maxMembers: number): SqlJson["object"] =>
  (members) => {
    if (members.length > maxMembers) throw new Unrenderable();
    return `${fn}(${members.map(([key, value]) => `'${key}', ${value}`).join(", ")})`;
  };

const SQL_JSON: Record<Engine, SqlJson> = {
  // newsgate_gid and newsgate_cursor are toGlobalId and encodeCursor, registered on the connection (reader.ts).
  sqlite: {
    dialect: dialectOf("sqlite"),
    object: objectOf("json_object", 60),
    array: (values) => `json_array(${values.join(", ")})`,
    list: (element, order) => `json_group_array(${element} ORDER BY ${order})`,
    bool: (condition) => `json(CASE WHEN ${condition} THEN 'true' ELSE 'false' END)`,
    globalId: (type, id) => `newsgate_gid('${type}', ${id})`,
    dateTime: (column) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column})`,
    cursor: (key, id) => `newsgate_cursor(${key}, ${id})`,
    text: (json) => `CAST(${json} AS BLOB)`,
  },
  postgres: {
    dialect: dialectOf("postgres"),
    object: objectOf("json_build_object", 50),
    array: (values) => `json_build_array(${values.join(", ")})`,
    list: (element, order) => `coalesce(json_agg(${element} ORDER BY ${order}), '[]'::json)`,
    bool: (condition) => `(${condition})`,
    globalId: (type, id) => base64url(`'${type}:' || ${id}`),
    // ":MI" would read as a named parameter (Statement), so the colons go in afterwards.
    dateTime: (column) => `replace(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24|MI|SS.MS"Z"'), '|', ':')`,
    cursor: (key, id) => base64url(`'[' || to_json(${key})::text || ',' || ${id} || ']'`),
    text: (json) => `CAST(${json} AS text)`,
  },
};

/** Fields every object renders the same way. */
export const column =
  (name: string): FieldRender =>
  ({ a }) =>
    `${a}.${name}`;
export const dateTimeColumn =
  (name: string): FieldRender =>
  ({ a, d }) =>
    d.dateTime(`${a}.${name}`);
export const globalIdOf =
  (type: string): FieldRender =>
  ({ a, d }) =>
    d.globalId(type, `${a}.id`);
/** An enum's stored value (SQL) as the enum's GraphQL name (its key). */
export const enumName = (value: string, values: Record<string, string>): string =>
  `CASE ${value} ${Object.entries(values)
    .map(([key, stored]) => `WHEN '${stored.replace(/'/g, "''")}' THEN '${key}'`)
    .join(" ")} END`;
export const enumColumn =
  (name: string, values: Record<string, string>): FieldRender =>
  ({ a }) =>
    enumName(`${a}.${name}`, values);

/** Thrown while building: this selection has no rendering. */
class Unrenderable extends Error {}

/** For a rendering to say it cannot render this request's shape: the resolvers answer it. */
export function notRendered(): never {
  throw new Unrenderable();
}

/** Where the hidden values of `RenderedType.observed` go in an object; GraphQL reserves names starting with "__". */
const OBSERVED_KEY = "__newsgate";
/** That member as each engine writes it, up to its value's opening bracket. */
const OBSERVED_MEMBER: Record<Engine, string> = { sqlite: `,"${OBSERVED_KEY}":[`, postgres: `, "${OBSERVED_KEY}" : [` };

interface Built {
  /** Null when the document asks for the root `__typename` alone, which needs no statement. */
  statement: Statement | null;
  /** The response keys of the root fields, in column order. */
  keys: string[];
  params: Array<{ name: string; field: ArgumentSource; value: (args: Record<string, unknown>) => unknown }>;
  checks: Array<{ field: ArgumentSource; valid: (args: Record<string, unknown>) => void }>;
  /** Whether the answer holds the observed values of its objects (`OBSERVED_MEMBER`), for `reads.observe`. */
  observing: boolean;
  /** Whether the statement has run once: from then on its errors are the database's, not the rendering's. */
  proven: boolean;
}

interface ArgumentSource {
  definition: GraphQLField<unknown, unknown>;
  node: FieldNode;
}

/**
 * An answer as the database wrote it: each root field's value as JSON text (null for SQL
 * NULL), in the order the document asks for them.
 */
export interface RenderedAnswer {
  fields: Array<[key: string, json: JsonText | null]>;
}

/**
 * SQLite's JSON is compact, as JSON.stringify writes it, and comes as UTF-8 bytes (a BLOB is
 * a Buffer, with no string made), so the HTTP layer can send it as it is; PostgreSQL's json
 * functions space their output, which comes as a string to parse.
 */
export type JsonText = Buffer | string;

/** Renders queries with the given types (by GraphQL type name; `Query` holds the root fields). */
export class Renderer {
  private readonly built = new WeakMap<DocumentNode, Map<string, Built | null>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly types: Record<string, RenderedType>,
    /** Told when a rendered statement fails its first run, so that an operator sees a document stop rendering. */
    private readonly onUnprepared: (error: unknown, operationName: string | null) => void = () => undefined,
  ) {}

  /**
   * The answer to `document` rendered in one statement, or null when it has no rendering
   * (the caller then executes it the usual way).
   */
  async answer(
    document: DocumentNode,
    operationName: string | null,
    rawVariables: Record<string, unknown> | undefined,
    reads: ReadSession,
  ): Promise<RenderedAnswer | null> {
    const operation = getOperationAST(document, operationName);
    if (!operation || operation.operation !== "query") return null;
    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
    if (coerced.errors) return null;
    const variables = coerced.coerced;
    const observing = reads.observe !== null;
    const key = `${operationName ?? ""}|${reads.engine}|${observing ? 1 : 0}|${signature(variables)}`;

    let byKey = this.built.get(document);
    if (!byKey) this.built.set(document, (byKey = new Map()));
    let built = byKey.get(key);
    if (built === undefined) {
      built = this.build(document, operation, variables, reads.engine, observing);
      byKey.set(key, built);
    }
    if (!built) return null;

    const params: Params = {};
    try {
      const argsOf = new Map<FieldNode, Record<string, unknown>>();
      const args = (field: ArgumentSource) => {
        let made = argsOf.get(field.node);
        if (!made) argsOf.set(field.node, (made = getArgumentValues(field.definition, field.node, variables)));
        return made;
      };
      for (const check of built.checks) check.valid(args(check.field));
      for (const param of built.params) params[param.name] = param.value(args(param.field));
    } catch {
      // Arguments the resolvers refuse: they say why, with their own error.
      return null;
    }

    let row: unknown[];
    if (built.statement === null) row = built.keys.map(() => QUERY_TYPENAME_JSON[reads.engine]);
    else {
      try {
        row = (await reads.table(built.statement, params)).rows[0];
      } catch (error) {
        if (built.proven) throw error;
        // A statement that never ran (one the database will not prepare: too deep, too wide)
        // leaves this shape of document to the resolvers from now on.
        byKey.set(key, null);
        this.onUnprepared(error, operationName);
        return null;
      }
      built.proven = true;
    }
    const fields: RenderedAnswer["fields"] = [];
    for (let i = 0; i < built.keys.length; i++) {
      const json = row[i] as JsonText | null;
      fields.push([built.keys[i], json !== null && built.observing ? this.takeObserved(json, reads) : json]);
    }
    return { fields };
  }

  /**
   * Tells `reads.observe` of every object `json` shows whose type declares `observed`, and
   * returns `json` without their hidden members. Every such member is the last of its object
   * and holds the type's name and its SQL values (ids or null), so it is found as text: a
   * quote directly after a comma (and a space, as PostgreSQL writes) cannot be inside a string.
   */
  private takeObserved<T extends JsonText>(json: T, reads: ReadSession): T {
    const marker = OBSERVED_MEMBER[reads.engine];
    // A string and a Buffer both search by text (a Buffer in bytes, and the marker is ASCII).
    const find = (text: string, from: number) => (json as { indexOf(value: string, from: number): number }).indexOf(text, from);
    const kept: Array<[number, number]> = [];
    let from = 0;
    for (let at = find(marker, 0); at >= 0; at = find(marker, from)) {
      const open = at + marker.length - 1;
      const close = find("]", open);
      const member = typeof json === "string" ? json.slice(open, close + 1) : json.toString("latin1", open, close + 1);
      const [type, ...values] = JSON.parse(member) as [string, ...unknown[]];
      const observed = this.types[type]?.observed;
      if (observed) reads.observe?.(observed.entity(values));
      kept.push([from, at]);
      from = close + 1;
    }
    if (from === 0) return json;
    kept.push([from, json.length]);
    if (typeof json === "string") return kept.map(([start, end]) => json.slice(start, end)).join("") as T;
    return Buffer.concat(kept.map(([start, end]) => json.subarray(start, end))) as T;
  }

  private build(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    engine: Engine,
    observing: boolean,
  ): Built | null {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const d = SQL_JSON[engine];
    const params: Built["params"] = [];
    const checks: Built["checks"] = [];
    let aliases = 0;

    const fieldsOf = (type: GraphQLObjectType, selectionSet: SelectionSetNode): FieldNode[] => {
      const out: FieldNode[] = [];
      const collect = (set: SelectionSetNode) => {
        for (const selection of set.selections) {
          // @include/@skip (or any directive) would make the answer's shape depend on variables.
          if (selection.directives?.length) throw new Unrenderable();
          if (selection.kind === Kind.FIELD) out.push(selection);
          else if (selection.kind === Kind.INLINE_FRAGMENT) {
            if (selection.typeCondition && selection.typeCondition.name.value !== type.name) throw new Unrenderable();
            collect(selection.selectionSet);
          } else {
            const fragment = fragments.get(selection.name.value);
            if (!fragment || fragment.typeCondition.name.value !== type.name) throw new Unrenderable();
            collect(fragment.selectionSet);
          }
        }
      };
      collect(selectionSet);
      // A response key asked twice would need its selections merged; not worth rendering.
      const keys = new Set<string>();
      for (const field of out) {
        const key = field.alias?.value ?? field.name.value;
        if (keys.has(key) || (key.startsWith("__") && key !== "__typename")) throw new Unrenderable();
        keys.add(key);
      }
      return out;
    };

    /** One field of `type` over row `a`, as SQL. */
    const field = (type: GraphQLObjectType, rendered: RenderedType, node: FieldNode, a: string): string => {
      const render = rendered.fields[node.name.value];
      const definition = type.getFields()[node.name.value];
      if (!render || !definition) throw new Unrenderable();
      const named = getNamedType(definition.type);
      // SQLite writes a double with 15 significant digits, which is not always the number stored.
      if (engine === "sqlite" && named === GraphQLFloat) throw new Unrenderable();
      const child = named instanceof GraphQLObjectType && node.selectionSet ? { type: named, set: node.selectionSet } : null;
      const sub = (alias: string) => {
        if (!child) throw new Unrenderable();
        return object(child.type, child.set, alias);
      };
      const source: ArgumentSource = { definition, node };
      const f: FieldRendering = {
        a,
        d,
        args: getArgumentValues(definition, node, variables),
        param(value) {
          const name = `p${params.length}`;
          params.push({ name, field: source, value });
          return `:${name}`;
        },
        check(valid) {
          checks.push({ field: source, valid });
        },
        alias: (base) => `${base}${aliases++}`,
        one: (alias, from) => `(SELECT ${sub(alias)} ${from})`,
        many: (alias, from, order) => `(SELECT ${d.list(sub(alias), order)} ${from})`,
        here: () => sub(a),
        connection: (page) => {
          if (!child) throw new Unrenderable();
          return connection(child.type, child.set, page, f);
        },
      };
      return render(f);
    };

    /** The selection `set` of `type` over row `a`, as a JSON object. */
    const object = (type: GraphQLObjectType, set: SelectionSetNode, a: string): string => {
      const rendered = this.types[type.name];
      if (!rendered) throw new Unrenderable();
      const members: Array<[string, string]> = [];
      for (const node of fieldsOf(type, set)) {
        const key = node.alias?.value ?? node.name.value;
        if (node.name.value === "__typename") {
          members.push([key, `'${type.name}'`]);
          continue;
        }
        members.push([key, field(type, rendered, node, a)]);
      }
      // Last, as takeObserved expects.
      if (observing && rendered.observed) members.push([OBSERVED_KEY, d.array([`'${type.name}'`, ...rendered.observed.values(a)])]);
      return d.object(members);
    };

    const connection = (type: GraphQLObjectType, set: SelectionSetNode, page: ConnectionPage, f: FieldRendering): string => {
      f.check(page.check);
      const reverse = page.direction === "DESC" ? "ASC" : "DESC";
      const order = (x: string, direction = page.direction) => `${x}.k ${direction}, ${x}.id ${direction}`;
      const where = (x: string) => (page.after ? ` WHERE ${page.after(x)}` : "");
      // A bare parameter as LIMIT makes SQLite run a page nested in a larger statement more
      // than twice as slowly (measured on the story page's related stories); cast, it does not.
      const limit = () => `CAST(${f.param(page.first)} AS INTEGER)`;
      const pageRows = () => {
        const x = f.alias("x");
        return `SELECT ${x}.id AS id, ${x}.k AS k FROM (${page.rows}) ${x}${where(x)} ORDER BY ${order(x)} LIMIT ${limit()}`;
      };
      const members: Array<[string, string]> = [];
      for (const node of fieldsOf(type, set)) {
        const key = node.alias?.value ?? node.name.value;
        const name = node.name.value;
        const definition = type.getFields()[name];
        if (name === "__typename") members.push([key, `'${type.name}'`]);
        else if (name === "totalCount") {
          const x = f.alias("x");
          members.push([key, `(SELECT COUNT(DISTINCT ${x}.id) FROM (${page.rows}) ${x})`]);
        } else if (name === "pageInfo" && node.selectionSet && definition) {
          const info: Array<[string, string]> = [];
          const infoType = getNamedType(definition.type) as GraphQLObjectType;
          for (const field of fieldsOf(infoType, node.selectionSet)) {
            const infoKey = field.alias?.value ?? field.name.value;
            const p = f.alias("pg");
            const edgeCursor = (direction: "ASC" | "DESC") =>
              `(SELECT ${page.cursor(p)} FROM (${pageRows()}) ${p} ORDER BY ${order(p, direction)} LIMIT 1)`;
            if (field.name.value === "__typename") info.push([infoKey, `'${infoType.name}'`]);
            else if (field.name.value === "hasNextPage") {
              const x = f.alias("x");
              info.push([
                infoKey,
                d.bool(`EXISTS (SELECT 1 FROM (${page.rows}) ${x}${where(x)} ORDER BY ${order(x)} LIMIT 1 OFFSET ${limit()})`),
              ]);
            } else if (field.name.value === "hasPreviousPage") info.push([infoKey, d.bool(page.after ? "1 = 1" : "1 = 0")]);
            else if (field.name.value === "startCursor") info.push([infoKey, edgeCursor(page.direction)]);
            else if (field.name.value === "endCursor") info.push([infoKey, edgeCursor(reverse)]);
            else throw new Unrenderable();
          }
          members.push([key, d.object(info)]);
        } else if (name === "edges" && node.selectionSet && definition) {
          const edgeType = getNamedType(definition.type) as GraphQLObjectType;
          const p = f.alias("pg");
          const e = f.alias("e");
          const edge: Array<[string, string]> = [];
          for (const field of fieldsOf(edgeType, node.selectionSet)) {
            const edgeKey = field.alias?.value ?? field.name.value;
            const edgeName = field.name.value;
            if (edgeName === "__typename") edge.push([edgeKey, `'${edgeType.name}'`]);
            else if (edgeName === "cursor") edge.push([edgeKey, page.cursor(p)]);
            else if (edgeName === "node" && field.selectionSet) {
              const nodeType = getNamedType(edgeType.getFields().node.type) as GraphQLObjectType;
              if (page.node) {
                const nodeField: FieldRendering = {
                  ...f,
                  one: (alias, from) => `(SELECT ${object(nodeType, field.selectionSet!, alias)} ${from})`,
                };
                edge.push([edgeKey, page.node(nodeField, e)]);
              } else edge.push([edgeKey, object(nodeType, field.selectionSet, e)]);
            } else if (page.edge?.[edgeName]) edge.push([edgeKey, page.edge[edgeName](e, d)]);
            else throw new Unrenderable();
          }
          members.push([
            key,
            `(SELECT ${d.list(d.object(edge), order(p))} FROM (${pageRows()}) ${p} JOIN ${page.table} ${e} ON ${e}.id = ${p}.id)`,
          ]);
        } else throw new Unrenderable();
      }
      return d.object(members);
    };

    try {
      const query = this.schema.getQueryType();
      const root = this.types.Query;
      if (!query || !root) return null;
      const keys: string[] = [];
      const columns: string[] = [];
      for (const node of fieldsOf(query, operation.selectionSet)) {
        keys.push(node.alias?.value ?? node.name.value);
        // Each root field is one column of one row; there is no parent row.
        columns.push(node.name.value === "__typename" ? QUERY_TYPENAME : field(query, root, node, ""));
      }
      // As text (bytes on SQLite): the pg driver would parse json columns itself.
      const text = `SELECT ${columns.map((sql, i) => `${d.text(sql)} AS c${i}`).join(", ")}`;
      return {
        // `{ __typename }` alone needs no statement.
        statement: columns.every((column) => column === QUERY_TYPENAME)
          ? null
          : new Statement(`rendered:${statements}`, () => text, statements++ < KEPT_PREPARED),
        keys,
        params,
        checks,
        observing,
        proven: false,
      };
    } catch (error) {
      if (error instanceof Unrenderable) return null;
      throw error;
    }
  }
}

/** A root `__typename`, as the JSON text each root column holds. */
const QUERY_TYPENAME = `'"Query"'`;
/** The same, as a statement would return it on each engine (see `RenderedAnswer`). */
const QUERY_TYPENAME_JSON: Record<Engine, JsonText> = { sqlite: Buffer.from('"Query"'), postgres: '"Query"' };

let statements = 0;
/**
 * Rendered statements PostgreSQL keeps prepared per connection: the first ones made, which
 * in practice are the client apps' own documents (a server sees a few dozen); any beyond
 * are planned on each run.
 */
const KEPT_PREPARED = 500;

/**
 * What about the variables can change a statement's text: which are null, and booleans'
 * values (`FieldRendering.args`). Nothing else, so that the statements made for one document
 * stay few whatever values clients send.
 */
function signature(variables: Record<string, unknown>): string {
  let out = "";
  for (const name in variables) {
    const value = variables[name];
    out += `${name}=${value == null ? "n" : typeof value === "boolean" ? String(value) : "v"};`;
  }
  return out;
}
