import { renderedPage } from "../db/list";
import { enumName, type FieldRender } from "../db/render";
import { RELATED_OF_STORY } from "./relation.loaders";
import { RelationReason } from "./story-relation.entity";

/** `Story.related` as rendered in SQL (db/render.ts): edges over story_relations rows. */
export const related: FieldRender = (f) =>
  f.connection(
    renderedPage(RELATED_OF_STORY, f, `${f.a}.id`, {
      node: (node, e) => {
        const rs = node.alias("rs");
        return node.one(rs, `FROM stories ${rs} WHERE ${rs}.id = ${e}.related_story_id`);
      },
      edge: { reason: (e) => enumName(`${e}.reason`, RelationReason), rank: (e) => `${e}.rank` },
    }),
  );
