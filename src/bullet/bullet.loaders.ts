import DataLoader from "dataloader";

import { byKey, groupByKey } from "../db/batch";
import { type LoaderOptions } from "../db/loader-options";
import { type ReadSession, rowShape, selectList, Statement } from "../db/reader";
import { Bullet } from "./bullet.entity";

const BULLETS_BY_ID = new Statement(
  "bulletsById",
  (d) => `SELECT ${selectList(Bullet, "b")} FROM bullets b WHERE ${d.ids("b.id", ":ids")}`,
);
const BULLETS_BY_STORY = new Statement(
  "bulletsByStoryId",
  (d) => `SELECT ${selectList(Bullet, "b")} FROM bullets b WHERE ${d.ids("b.story_id", ":ids")} ORDER BY b.story_id, b.position`,
);

export function createBulletLoaders(session: ReadSession, options: LoaderOptions) {
  const shape = rowShape(session.dataSource, Bullet);
  return {
    bulletById: new DataLoader<number, Bullet | null>(
      async (ids) => byKey(ids, await session.all(shape, BULLETS_BY_ID, { ids: [...ids] }), (bullet) => bullet.id),
      options,
    ),
    bulletsByStoryId: new DataLoader<number, Bullet[]>(
      async (ids) => groupByKey(ids, await session.all(shape, BULLETS_BY_STORY, { ids: [...ids] }), (bullet) => bullet.storyId),
      options,
    ),
  };
}
