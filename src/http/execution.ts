import { type GatewayExecutor, type GatewayInterface } from "@apollo/server-gateway-interface";
import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  getOperationAST,
  GraphQLError,
  type GraphQLSchema,
  printSchema,
  valueFromASTUntyped,
} from "graphql";
import { compileQuery, type CompiledQuery, isCompiledQuery } from "graphql-jit";

import { type ReadSession } from "../db/reader";
import { type RenderedAnswer, type Renderer } from "../db/render";
import { runWithSqlStats, type SqlStats } from "../db/sql-stats";
import { ErrorCode } from "../errors";
import { type AnswerTexts } from "./answer-texts";

/** Runs one operation of a validated document: through Apollo's gateway hook, or a prepared operation. */
export type Executor = (request: {
  document: DocumentNode;
  operationName: string | null;
  variables: Record<string, unknown> | undefined;
  context: ExecutorContext;
}) => Promise<ExecutionResult>;

/**
 * Runs each document through a plan compiled once (graphql-jit) instead of interpreting it
 * field by field on every request: the plan is plain JavaScript specialised to the document,
 * with no per-field dispatch, and V8 optimises it like any other hot function. A query the
 * renderer can answer in one SQL statement (db/render.ts) is answered that way instead.
 * Plans are keyed on the DocumentNode: Apollo's document store, and the prepared operations,
 * hand back the same one for the same text.
 */
export function compiledExecutor(schema: GraphQLSchema, renderer: Renderer | null): Executor {
  const plans = new WeakMap<DocumentNode, Map<string, Plan | null>>();

  function planFor(document: DocumentNode, operationName: string | null): Plan | null {
    let byName = plans.get(document);
    if (!byName) plans.set(document, (byName = new Map()));
    const key = operationName ?? "";
    let plan = byName.get(key);
    if (plan === undefined) {
      const compiled = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
      // A document the compiler refuses runs through graphql-js, which reports it precisely.
      plan = isCompiledQuery(compiled) ? { compiled, defaults: variableDefaults(document, operationName) } : null;
      byName.set(key, plan);
    }
    return plan;
  }

  return async ({ document, operationName, variables, context }) => {
    // A name the document does not define goes to graphql-js, which refuses it as Apollo
    // expects; the compiler and the renderer would take "" for no name and run the only one.
    const named = getOperationAST(document, operationName) !== null;
    if (renderer && named) {
      const rendered = await renderer.answer(document, operationName, variables, context.reads);
      if (rendered) return { data: renderedData(rendered, context.answerTexts) };
    }
    const plan = named ? planFor(document, operationName) : null;
    // Resolvers may reach TypeORM (writes, some loaders), whose statements count this way.
    const result: ExecutionResult = await runWithSqlStats(context.sql, async () =>
      plan
        ? await plan.compiled.query(undefined, context, withDefaults(plan.defaults, variables))
        : await execute({ schema, document, operationName, contextValue: context, variableValues: variables }),
    );
    if (!result.errors?.length) return result;
    const errors = result.errors.map((error) => asGraphQLError(error, document));
    // Without data, the request never ran: its variables did not fit their types.
    if (result.data === undefined) return { errors: errors.map(badVariables) };
    return { data: result.data, errors };
  };
}

/**
 * The executor as Apollo Server takes it: its only hook for a custom executor is its gateway
 * interface, so the schema is served through a "gateway" of one local schema. Apollo still
 * parses and validates (and keeps validated documents in its document store). Subscriptions
 * do not come through here (graphql-ws runs them on the schema directly).
 */
export function gatewayOf(schema: GraphQLSchema, executor: Executor): GatewayInterface {
  const listeners = new Set<Parameters<GatewayInterface["onSchemaLoadOrUpdate"]>[0]>();
  const gatewayExecutor: GatewayExecutor = ({ document, request, context }) =>
    executor({ document, operationName: request.operationName ?? null, variables: request.variables, context: context as ExecutorContext });
  return {
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return { schema, executor: gatewayExecutor };
    },
    onSchemaLoadOrUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors only look like GraphQLErrors: they carry locations but no AST nodes
 * or source positions, from which Apollo recomputes locations when it re-creates each error.
 * So they are re-created here with positions in the document's source.
 */
function asGraphQLError(error: GraphQLError, document: DocumentNode): GraphQLError {
  if (error.nodes?.length || !error.locations?.length || !document.loc) return error;
  const source = document.loc.source;
  const lineStarts = [0];
  for (let i = 0; i < source.body.length; i++) if (source.body.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positions = error.locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1);
  return new GraphQLError(error.message, {
    source,
    positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

function badVariables(error: GraphQLError): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } },
  });
}

/** What the executor needs of a request's context; `answerTexts` where the transport can send held texts. */
export interface ExecutorContext {
  reads: ReadSession;
  sql: SqlStats;
  answerTexts?: AnswerTexts;
}

/**
 * A rendered answer as `data`: SQLite's bytes held as they are where the transport takes them
 * (they are already compact JSON); PostgreSQL's text parsed, so that it is sent compact too.
 * A null stays null, which the response cache looks for.
 */
function renderedData(rendered: RenderedAnswer, texts: AnswerTexts | undefined): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, json] of rendered.fields) {
    if (json === null) data[key] = null;
    else if (typeof json !== "string" && texts) data[key] = texts.hold(json);
    else data[key] = JSON.parse(json.toString());
  }
  return data;
}

interface Plan {
  compiled: CompiledQuery;
  /** Variables with a default value, which graphql-jit refuses to leave out when their type is non-null. */
  defaults: Array<[string, unknown]>;
}

function variableDefaults(document: DocumentNode, operationName: string | null): Array<[string, unknown]> {
  const operation = getOperationAST(document, operationName);
  const defaults: Array<[string, unknown]> = [];
  for (const definition of operation?.variableDefinitions ?? []) {
    // As the client would have sent it (enum names, not their internal values): coercion follows.
    if (definition.defaultValue) defaults.push([definition.variable.name.value, valueFromASTUntyped(definition.defaultValue)]);
  }
  return defaults;
}

function withDefaults(defaults: Array<[string, unknown]>, given: Record<string, unknown> | undefined): Record<string, unknown> {
  if (defaults.length === 0) return given ?? {};
  const variables = { ...given };
  for (const [name, value] of defaults) if (variables[name] === undefined) variables[name] = value;
  return variables;
}
