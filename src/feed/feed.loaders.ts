import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey } from "../db/batch";
import { filteredRows, type ListDeclaration } from "../db/list";
import { type LoaderOptions } from "../db/loader-options";
import { Feed } from "./feed.entity";

/** Registered feeds by URL, optionally only one publication's (by slug; an unknown slug lists none). */
export const FEEDS: ListDeclaration<Feed, { publicationSlug?: string }> = {
  name: "feeds",
  entity: Feed,
  table: "feeds",
  ...filteredRows<{ publicationSlug?: string }>("SELECT 0 AS parent_key, f.id AS id, f.url AS k FROM feeds f WHERE 1 = 1", {
    publicationSlug: { sql: () => "f.publication_id IN (SELECT p.id FROM publications p WHERE p.slug = :publicationSlug)" },
  }),
  direction: "ASC",
  cursor: "string",
};

export function createFeedLoaders(dataSource: DataSource, options: LoaderOptions) {
  const feeds = dataSource.getRepository(Feed);
  return {
    feedById: new DataLoader<number, Feed | null>(
      async (ids) => byKey(ids, await feeds.findBy({ id: In([...ids]) }), (feed) => feed.id),
      options,
    ),
  };
}
