import {
  type DocumentNode,
  type FieldNode,
  getNamedType,
  type GraphQLField,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

import { DEFAULT_PAGE_SIZE } from "../relay/connection";

type Variables = Record<string, unknown> | undefined;

/**
 * What an operation may cost to answer, before running it: every field counts 1, and the
 * selection under a field with a `first` argument counts `first` times (20 when `first` is
 * left out), so `stories(first: 100) { edges { node { related(first: 100) { … } } } }` is
 * priced as the 10 000 related stories it could return. Plain lists (a story's bullets) count
 * once: they are bounded by what one story holds, not by the client.
 *
 * The document has passed validation, so fragments exist and do not cycle. Introspection
 * fields count 1 each without looking inside: only keyed callers may introspect in
 * production, and the schema is small.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): number {
  let bySchema = fixedCosts.get(schema);
  if (!bySchema) fixedCosts.set(schema, (bySchema = new WeakMap()));
  const fixed = bySchema.get(operation);
  if (fixed !== undefined) return fixed;
  const priced = { variable: false };
  const cost = price(schema, document, operation, variables, priced);
  if (!priced.variable) bySchema.set(operation, cost);
  return cost;
}

/**
 * The costs of operations that take no page size from a variable, which are the same on every
 * request (Apollo hands back the same DocumentNode for the same text): most documents a client
 * app sends again and again.
 */
const fixedCosts = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, number>>();

function price(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  priced: { variable: boolean },
): number {
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  // A variable the request leaves out takes its default from the operation, e.g. `$first: Int = 50`.
  const effective: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const fallback = definition.defaultValue;
    if (fallback?.kind === Kind.INT) effective[definition.variable.name.value] = Number(fallback.value);
  }
  Object.assign(effective, variables);

  const selectionCost = (typeName: string, selectionSet: SelectionSetNode): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(typeName, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += selectionCost(selection.typeCondition?.name.value ?? typeName, selection.selectionSet);
      } else {
        total += fragmentCost(selection.name.value);
      }
    }
    return total;
  };

  // A fragment costs the same wherever it is spread (its type and the variables are fixed),
  // so each is priced once: a "fragment bomb" that spreads each fragment twice into the next
  // gets an astronomical price in linear time instead of an exponential walk.
  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const cost = fragment ? selectionCost(fragment.typeCondition.name.value, fragment.selectionSet) : 0;
    fragmentCosts.set(name, cost);
    return cost;
  };

  const fieldCost = (parentTypeName: string, node: FieldNode): number => {
    if (!node.selectionSet || node.name.value.startsWith("__")) return 1;
    const parent = schema.getType(parentTypeName);
    const field: GraphQLField<unknown, unknown> | undefined =
      isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
    if (!field) return 1;
    const childType = getNamedType(field.type).name;
    const multiplier = field.args.some((arg) => arg.name === "first") ? pageSizeOf(node, effective, priced) : 1;
    return 1 + multiplier * selectionCost(childType, node.selectionSet);
  };

  return selectionCost(root.name, operation.selectionSet);
}

function pageSizeOf(node: FieldNode, variables: Variables, priced: { variable: boolean }): number {
  const argument = node.arguments?.find((arg) => arg.name.value === "first");
  if (argument?.value.kind === Kind.VARIABLE) priced.variable = true;
  const value = argument ? intValue(argument.value, variables) : undefined;
  // A `first` outside 1–100 is refused by the resolver before it costs anything.
  return value === undefined ? DEFAULT_PAGE_SIZE : Math.max(1, value);
}

function intValue(value: ValueNode, variables: Variables): number | undefined {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const given = variables?.[value.name.value];
    return typeof given === "number" && Number.isFinite(given) ? Math.trunc(given) : undefined;
  }
  return undefined;
}
