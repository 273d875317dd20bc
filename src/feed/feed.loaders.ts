import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey } from "../db/batch";
import { type LoaderOptions } from "../db/loader-options";
import { Feed } from "./feed.entity";

export function createFeedLoaders(dataSource: DataSource, options: LoaderOptions) {
  const feeds = dataSource.getRepository(Feed);
  return {
    feedById: new DataLoader<number, Feed | null>(
      async (ids) => byKey(ids, await feeds.findBy({ id: In([...ids]) }), (feed) => feed.id),
      options,
    ),
  };
}
