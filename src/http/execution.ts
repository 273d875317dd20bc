import { type GatewayExecutor, type GatewayInterface } from "@apollo/server-gateway-interface";
import { type DocumentNode, execute, type ExecutionResult, GraphQLError, type GraphQLSchema, printSchema } from "graphql";
import { compileQuery, type CompiledQuery, isCompiledQuery } from "graphql-jit";

import { ErrorCode } from "../errors";

/**
 * Runs each document through a plan compiled once (graphql-jit) instead of interpreting it
 * field by field on every request: the plan is plain JavaScript specialised to the document,
 * with no per-field dispatch, and V8 optimises it like any other hot function.
 *
 * Apollo Server's only hook for a custom executor is its gateway interface, so the schema is
 * served through a "gateway" of one local schema. Apollo still parses and validates (and keeps
 * validated documents in its document store, which hands back the same DocumentNode for the
 * same text: the plan cache is keyed on it). Subscriptions do not come through here
 * (graphql-ws runs them on the schema directly).
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const plans = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  const listeners = new Set<Parameters<GatewayInterface["onSchemaLoadOrUpdate"]>[0]>();

  function planFor(document: DocumentNode, operationName: string | null): CompiledQuery | null {
    let byName = plans.get(document);
    if (!byName) plans.set(document, (byName = new Map()));
    const key = operationName ?? "";
    let plan = byName.get(key);
    if (plan === undefined) {
      const compiled = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
      // A document the compiler refuses runs through graphql-js, which reports it precisely.
      plan = isCompiledQuery(compiled) ? compiled : null;
      byName.set(key, plan);
    }
    return plan;
  }

  const executor: GatewayExecutor = async ({ document, request, context }) => {
    const operationName = request.operationName ?? null;
    const plan = planFor(document, operationName);
    const result: ExecutionResult = plan
      ? await plan.query(undefined, context, request.variables ?? {})
      : await execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
    // Without data, the request never ran: its variables did not fit their types.
    if (result.data === undefined && result.errors?.length) return { errors: result.errors.map(badVariables) };
    return result;
  };

  return {
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return { schema, executor };
    },
    onSchemaLoadOrUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {},
  };
}

function badVariables(error: GraphQLError): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } },
  });
}
