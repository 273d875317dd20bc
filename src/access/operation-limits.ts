import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  validate,
  type ValidationContext,
} from "graphql";

import { type Caller } from "./caller";
import { hasRole } from "./roles";
import { type Config, type RequestLimits } from "../config";
import { ForbiddenError, LimitExceededError, UnauthenticatedError } from "../errors";
import { operationCost } from "./cost";

/** The limits that apply to a caller: its client app's own, else the server's. */
export function limitsFor(caller: Caller, defaults: Readonly<RequestLimits>): RequestLimits {
  const app = caller.clientApp;
  return {
    ...defaults,
    maxDepth: app?.maxDepth ?? defaults.maxDepth,
    maxAliases: app?.maxAliases ?? defaults.maxAliases,
    maxCost: app?.maxCost ?? defaults.maxCost,
  };
}

/**
 * Checks a parsed operation against its caller before it runs: mutations need an editor key,
 * introspection needs a key in production, and depth, aliases, directives and cost must be
 * within the caller's limits. Throws the refusal.
 *
 * Over HTTP this runs in Apollo's `didResolveOperation` rather than as `validationRules`
 * because the limits depend on the caller, and Apollo caches a document once it has
 * validated: a document accepted for a generous client would then skip the rules for every
 * other client. `didResolveOperation` runs for every request, cached document or not.
 */
export function checkOperation(
  config: Pick<Config, "env" | "limits">,
  caller: Caller,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): void {
  if (operation.operation === "mutation" && !hasRole(caller.role, "editor")) {
    if (caller.clientApp === null) throw new UnauthenticatedError("Mutations need an API key with the editor role");
    throw new ForbiddenError(`Mutations need the editor role; the client app "${caller.clientApp.name}" has the ${caller.role} role`);
  }
  if (config.env === "production" && caller.clientApp === null && introspects(document, operation)) {
    throw new UnauthenticatedError("Introspection needs an API key in this deployment");
  }
  const limits = limitsFor(caller, config.limits);
  const broken = brokenLimit(schema, document, limits);
  if (broken) throw broken;
  const cost = operationCost(schema, document, operation, variables);
  if (cost > limits.maxCost) {
    throw new LimitExceededError(
      `Query cost limit of ${limits.maxCost} exceeded, found ${cost}. Ask for smaller pages (first) or fewer nested lists.`,
      "cost",
      { cost, maxCost: limits.maxCost },
    );
  }
}

/**
 * Depth, alias and directive counts depend on the document alone, so each document is
 * checked once per set of limits (Apollo hands back the same DocumentNode for the same text);
 * only the cost, which depends on variables, is computed per request.
 */
const checked = new WeakMap<DocumentNode, Map<string, LimitExceededError | null>>();

function brokenLimit(schema: GraphQLSchema, document: DocumentNode, limits: RequestLimits): LimitExceededError | null {
  let byLimits = checked.get(document);
  if (!byLimits) checked.set(document, (byLimits = new Map()));
  const key = `${limits.maxDepth}:${limits.maxAliases}:${limits.maxDirectives}`;
  let found = byLimits.get(key);
  if (found === undefined) {
    found = firstBrokenLimit(schema, document, limits);
    // Limit sets come from client apps: a handful; bounded all the same.
    if (byLimits.size < 16) byLimits.set(key, found);
  }
  return found;
}

function firstBrokenLimit(schema: GraphQLSchema, document: DocumentNode, limits: RequestLimits): LimitExceededError | null {
  const found: LimitExceededError[] = [];
  // armor reports "Syntax Error: …"; these are limits, not syntax, so the prefix goes.
  const report = (limit: string) => (_context: ValidationContext | null, error: GraphQLError) => {
    found.push(new LimitExceededError(error.message.replace(/^Syntax Error: /, ""), limit));
  };
  validate(schema, document, [
    maxDepthRule({ n: limits.maxDepth, propagateOnRejection: false, onReject: [report("depth")] }),
    // armor exempts `__typename` aliases by default, which is exactly what alias-overloading probes send.
    maxAliasesRule({ n: limits.maxAliases, allowList: [], propagateOnRejection: false, onReject: [report("aliases")] }),
    maxDirectivesRule({ n: limits.maxDirectives, propagateOnRejection: false, onReject: [report("directives")] }),
  ]);
  return found[0] ?? null;
}

/** Whether the operation asks for `__schema` or `__type` (both only exist on the query root). */
function introspects(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === "__schema" || selection.name.value === "__type";
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
      );
      return fragment?.kind === Kind.FRAGMENT_DEFINITION ? visit(fragment.selectionSet) : false;
    });
  return visit(operation.selectionSet);
}
