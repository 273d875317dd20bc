import { type DataSource, type EntityTarget } from "typeorm";

import { BadInputError } from "../errors";
import { truncate } from "../relay/global-id";

/**
 * Resolves a slug given in a filter. An unknown slug is the client's mistake, so it is bad
 * input rather than an empty list that would hide a typo.
 */
export async function idForSlug(
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
