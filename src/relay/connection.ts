import { type ClassType, Field, Int, ObjectType } from "type-graphql";

import { BadInputError } from "../errors";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: "Where a page sits in its list, per the Relay cursor connection spec." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more items follow the last one on this page." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "True when this page was requested with `after`, so items precede it." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first item on this page." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last item on this page; pass it as `after` for the next page." })
  endCursor!: string | null;
}

/** `totalCount` costs a COUNT query, so it is computed only when a client selects it. */
export type Lazy<T> = T | Promise<T>;

export interface ConnectionShape<E extends { cursor: string }> {
  edges: E[];
  pageInfo: PageInfo;
  totalCount: Lazy<number>;
}

/**
 * Builds `<Name>Edge` and `<Name>Connection` object types for a node type. `edgeFields`, an
 * abstract object type, adds fields to the edge (facts about the item in this list).
 */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string, description: string, edgeFields?: ClassType) {
  const EdgeBase = edgeFields ?? class {};
  @ObjectType(`${name}Edge`, { description: `One ${name.toLowerCase()} in a list, with its cursor.` })
  class EdgeType extends EdgeBase {
    @Field(() => String, { description: "Opaque cursor; pass as `after` to continue after this item." })
    cursor!: string;

    @Field(() => node, { description: `The ${name.toLowerCase()}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: "The items on this page, in list order." })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: "Cursors and whether more pages exist." })
    pageInfo!: PageInfo;

    // `simple: false`: a promise, which a field read directly (readPlainFieldsDirectly) would not await.
    @Field(() => Int, { simple: false, description: "How many items the whole list holds, across all pages." })
    totalCount!: Lazy<number>;
  }
  return ConnectionClass;
}

/** Validates a page size: `first` defaults to 20 and must be between 1 and 100. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`, { argument: "first" });
  }
  return first;
}

/**
 * Turns rows fetched with `limit + 1` into a connection: the extra row only says whether a
 * next page exists.
 */
export function toConnection<R, E extends { cursor: string }>(
  rows: readonly R[],
  limit: number,
  after: string | null | undefined,
  edgeOf: (row: R) => E,
  count: () => Promise<number>,
): ConnectionShape<E> {
  const page = rows.slice(0, limit);
  const edges = page.map(edgeOf);
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    // A getter: the field resolver reads it only when `totalCount` is in the selection.
    get totalCount() {
      counted ??= count();
      return counted;
    },
  };
}
