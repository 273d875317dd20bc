import {
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** What an answer may be cached for: Apollo's CachePolicy fields. */
export interface CacheHint {
  maxAge?: number;
  scope?: "PUBLIC" | "PRIVATE";
}

interface Annotation extends CacheHint {
  inheritMaxAge?: boolean;
}

/**
 * An operation's cache policy, computed from the document and the schema's `@cacheControl`
 * hints alone, with the rules of Apollo's cache-control plugin: a field returning an object
 * (or any root field) without a hint gets `defaultMaxAge`, a scalar inherits its parent's,
 * and the answer takes the strictest hint of all its fields. Newsgate's hints are all static
 * (no resolver sets one), so this equals what Apollo computes while resolving, without a
 * wrapper on every field of every request. Fragments count whether or not they match at run
 * time, which can only make the policy stricter.
 */
export function operationCachePolicy(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  defaultMaxAge: number,
): CacheHint {
  const policy: CacheHint = {};
  visitOperationFields(schema, document, operation, (_parent, field, isRoot) => {
    const target = getNamedType(field.type);
    const fieldPolicy: CacheHint = {};
    let inheritMaxAge = false;
    if (isCompositeType(target)) {
      const typeHint = annotationOf(target);
      replace(fieldPolicy, typeHint);
      inheritMaxAge = Boolean(typeHint.inheritMaxAge);
    }
    const fieldHint = annotationOfField(field);
    if (fieldHint.inheritMaxAge && fieldPolicy.maxAge === undefined) {
      inheritMaxAge = true;
      if (fieldHint.scope) fieldPolicy.scope = fieldHint.scope;
    } else {
      replace(fieldPolicy, fieldHint);
    }
    if (fieldPolicy.maxAge === undefined && ((isCompositeType(target) && !inheritMaxAge) || isRoot)) {
      restrict(fieldPolicy, { maxAge: defaultMaxAge });
    }
    restrict(policy, fieldPolicy);
  });
  return policy;
}

/**
 * Calls `visit` for every field an operation selects (through fragments), with the type it is
 * selected on. Meta fields (__typename, __schema, __type) are left out: they carry no hints.
 */
export function visitOperationFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  visit: (parent: GraphQLObjectType | GraphQLInterfaceType, field: GraphQLField<unknown, unknown>, isRoot: boolean) => void,
): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return;
  const visited = new Set<string>();

  const walk = (parent: GraphQLCompositeType, selections: SelectionSetNode, isRoot: boolean) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition)) walk(condition, selection.selectionSet, isRoot);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        // A fragment spread twice under the same type adds nothing the second time.
        const key = `${parent.name}:${selection.name.value}:${isRoot}`;
        if (fragment && condition && isCompositeType(condition) && !visited.has(key)) {
          visited.add(key);
          walk(condition, fragment.selectionSet, isRoot);
        }
        continue;
      }
      if (selection.name.value.startsWith("__")) continue;
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      visit(parent, field, isRoot);
      const target = getNamedType(field.type);
      if (selection.selectionSet && isCompositeType(target)) walk(target, selection.selectionSet, false);
    }
  };
  walk(root, operation.selectionSet, true);
}

/** Apollo's "policy if cacheable": a max-age above 0, else nothing. */
export function cacheable(policy: CacheHint): { maxAge: number; scope: "PUBLIC" | "PRIVATE" } | null {
  if (policy.maxAge === undefined || policy.maxAge <= 0) return null;
  return { maxAge: policy.maxAge, scope: policy.scope ?? "PUBLIC" };
}

export function restrict(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
  if (hint.scope === "PRIVATE") policy.scope = "PRIVATE";
  else if (hint.scope !== undefined && policy.scope === undefined) policy.scope = hint.scope;
}

function replace(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}

const typeAnnotations = new WeakMap<GraphQLNamedType, Annotation>();
const fieldAnnotations = new WeakMap<GraphQLField<unknown, unknown>, Annotation>();

function annotationOf(type: GraphQLNamedType): Annotation {
  let annotation = typeAnnotations.get(type);
  if (!annotation) {
    const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
    annotation = fromDirectives(nodes.flatMap((node) => (node && "directives" in node ? (node.directives ?? []) : [])));
    typeAnnotations.set(type, annotation);
  }
  return annotation;
}

function annotationOfField(field: GraphQLField<unknown, unknown>): Annotation {
  let annotation = fieldAnnotations.get(field);
  if (!annotation) {
    annotation = fromDirectives(field.astNode?.directives ?? []);
    fieldAnnotations.set(field, annotation);
  }
  return annotation;
}

function fromDirectives(directives: readonly ConstDirectiveNode[]): Annotation {
  const directive = directives.find((node) => node.name.value === "cacheControl");
  const annotation: Annotation = {};
  for (const argument of directive?.arguments ?? []) {
    const value = argument.value;
    if (argument.name.value === "maxAge" && value.kind === Kind.INT) annotation.maxAge = Number(value.value);
    if (argument.name.value === "scope" && value.kind === Kind.ENUM) annotation.scope = value.value as "PUBLIC" | "PRIVATE";
    if (argument.name.value === "inheritMaxAge" && value.kind === Kind.BOOLEAN) annotation.inheritMaxAge = value.value;
  }
  return annotation;
}
