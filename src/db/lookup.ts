import { type DataSource, type EntityTarget } from "typeorm";

import { BadInputError } from "../errors";
import { fromGlobalId, type NodeTypeName, truncate } from "../relay/global-id";

/**
 * Resolves a slug given in a filter. An unknown slug is the client's mistake, so it is bad
 * input rather than an empty list that would hide a typo.
 */
async function idForSlug(
  dataSource: DataSource,
  entity: EntityTarget<{ id: number; slug: string }>,
  slug: string,
  what: string,
): Promise<number> {
  const row = await dataSource
    .createQueryBuilder(entity, "t")
    .select("t.id", "id")
    .where("t.slug = :slug", { slug })
    .getRawOne<{ id: number }>();
  if (!row) throw new BadInputError(`No ${what} has the slug "${truncate(slug)}"`, { argument: "filter" });
  return Number(row.id);
}

/** A filter value that may be a global id of `type` or a slug (what editors paste). */
export async function idForSlugOrId(
  dataSource: DataSource,
  entity: EntityTarget<{ id: number; slug: string }>,
  type: NodeTypeName,
  value: string,
  what: string,
): Promise<number> {
  let decoded: { type: NodeTypeName; id: number } | null = null;
  try {
    decoded = fromGlobalId(value);
  } catch {
    // Not an id: a slug.
  }
  if (decoded?.type === type) {
    const row = await dataSource.createQueryBuilder(entity, "t").select("t.id", "id").where("t.id = :id", { id: decoded.id }).getRawOne();
    if (!row) throw new BadInputError(`No ${what} has the id "${truncate(value)}"`, { argument: "filter" });
    return decoded.id;
  }
  return idForSlug(dataSource, entity, value, what);
}
