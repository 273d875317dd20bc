import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey, groupByKey } from "../db/batch";
import { Bullet } from "./bullet.entity";
import { type LoaderOptions } from "../db/loader-options";

export function createBulletLoaders(dataSource: DataSource, options: LoaderOptions) {
  const bullets = dataSource.getRepository(Bullet);
  return {
    bulletById: new DataLoader<number, Bullet | null>(
      async (ids) => byKey(ids, await bullets.findBy({ id: In([...ids]) }), (bullet) => bullet.id),
      options,
    ),
    bulletsByStoryId: new DataLoader<number, Bullet[]>(
      async (ids) =>
        groupByKey(
          ids,
          await bullets.find({ where: { storyId: In([...ids]) }, order: { storyId: "ASC", position: "ASC" } }),
          (bullet) => bullet.storyId,
        ),
      options,
    ),
  };
}
