import DataLoader from "dataloader";
import { type DataSource, type EntityTarget, type ObjectLiteral, type SelectQueryBuilder } from "typeorm";

import { type LoaderOptions } from "./loader-options";

/**
 * A nested connection ("the first 3 quotes of each of these 50 speakers") in one statement.
 * `rank` builds a subquery yielding (parent_key, entity_id, rn), numbering each parent's
 * children with ROW_NUMBER() OVER (PARTITION BY parent ORDER BY …); the outer query keeps
 * rn <= limit and hydrates the entities. Parents with no children simply have no rows.
 */
export async function loadRanked<T extends ObjectLiteral & { id: number }>(options: {
  dataSource: DataSource;
  entity: EntityTarget<T>;
  rank: (subquery: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral>;
  limit: number;
  /** Extra joins on the outer query, e.g. to hydrate a related entity in the same statement. */
  extend?: (query: SelectQueryBuilder<T>) => SelectQueryBuilder<T>;
}): Promise<Map<number, T[]>> {
  let query = options.dataSource
    .createQueryBuilder(options.entity, "e")
    .innerJoin((sub) => options.rank(sub), "r", "r.entity_id = e.id")
    .addSelect("r.parent_key", "parent_key")
    .addSelect("r.rn", "rn")
    .where("r.rn <= :rankLimit", { rankLimit: options.limit })
    .orderBy("r.parent_key")
    .addOrderBy("r.rn");
  if (options.extend) query = options.extend(query);
  const { entities, raw } = await query.getRawAndEntities();
  const entityById = new Map(entities.map((entity) => [entity.id, entity]));
  const byParent = new Map<number, T[]>();
  for (const row of raw as Array<Record<string, unknown>>) {
    const parentKey = Number(row.parent_key);
    const entity = entityById.get(Number(row.e_id));
    if (!entity) continue;
    const list = byParent.get(parentKey) ?? [];
    list.push(entity);
    byParent.set(parentKey, list);
  }
  return byParent;
}

/** Groups page requests that share `first`, `after` and filter, so each group is one statement. */
export function groupPageKeys<K extends { first: number; after: string | null; filter?: unknown }>(keys: readonly K[]): K[][] {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const group = `${key.first}\u0000${key.after ?? ""}\u0000${filterId(key.filter)}`;
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  return [...groups.values()];
}

/**
 * One parent's page. `filter` holds a list's extra arguments (a time window, a mode);
 * it must be plain JSON-able data, as it is part of the cache key.
 */
export interface PageKey<F = undefined> {
  parentId: number;
  first: number;
  after: string | null;
  filter?: F;
}

const filterId = (filter: unknown): string => (filter === undefined ? "" : JSON.stringify(filter));

export const pageKeyId = (key: PageKey<unknown>): string => `${key.parentId}:${key.first}:${key.after ?? ""}:${filterId(key.filter)}`;

/**
 * A DataLoader of pages (one per parent) for a nested connection. Keys that share `first`,
 * `after` and `filter` are fetched together by `fetchGroup`, one statement per group; in
 * practice every parent on a screen asks for the same page, so that is one statement in all.
 */
export function pageLoader<T, F = undefined>(
  options: LoaderOptions,
  fetchGroup: (parentIds: number[], first: number, after: string | null, filter: F | undefined) => Promise<Map<number, T[]>>,
): DataLoader<PageKey<F>, T[], string> {
  return new DataLoader<PageKey<F>, T[], string>(
    async (keys) => {
      const pages = new Map<string, T[]>();
      for (const group of groupPageKeys(keys)) {
        const { first, after, filter } = group[0];
        const byParent = await fetchGroup(
          group.map((key) => key.parentId),
          first,
          after,
          filter,
        );
        for (const key of group) pages.set(pageKeyId(key), byParent.get(key.parentId) ?? []);
      }
      return keys.map((key) => pages.get(pageKeyId(key)) ?? []);
    },
    { ...options, cacheKeyFn: pageKeyId },
  );
}
