import { column, globalIdOf, type RenderedType } from "../db/render";
import { Bullet } from "./bullet.entity";

/** Bullet as rendered in SQL (db/render.ts), over a bullets row. */
export const BULLET: RenderedType = {
  fields: {
    id: globalIdOf("Bullet"),
    position: column("position"),
    text: column("text"),
    quotes: (f) => {
      const q = f.alias("q");
      // The order of quotesByBulletId.
      return f.many(q, `FROM quotes ${q} WHERE ${q}.bullet_id = ${f.a}.id`, `${q}.start_offset, ${q}.id`);
    },
    story: (f) => {
      const s = f.alias("s");
      return f.one(s, `FROM stories ${s} WHERE ${s}.id = ${f.a}.story_id`);
    },
  },
  observed: { values: (a) => [`${a}.story_id`], entity: ([storyId]) => Object.assign(new Bullet(), { storyId }) },
};
