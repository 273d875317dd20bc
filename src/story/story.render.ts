import { renderedPage } from "../db/list";
import { column, dateTimeColumn, enumColumn, type FieldRender, globalIdOf, notRendered, type RenderedType } from "../db/render";
import { fromGlobalIdOfType } from "../relay/global-id";
import { StoryAccess, Story } from "./story.entity";
import { STORIES } from "./story.loaders";

/** Story as rendered in SQL (db/render.ts): the same answers as StoryResolver's, over a stories row. */
export const STORY: RenderedType = {
  fields: {
    id: globalIdOf("Story"),
    slug: column("slug"),
    headline: column("headline"),
    standfirst: column("standfirst"),
    section: column("section"),
    byline: column("byline"),
    kind: column("kind"),
    publishedAt: dateTimeColumn("published_at"),
    updatedAt: dateTimeColumn("updated_at"),
    canonicalUrl: column("canonical_url"),
    access: enumColumn("access", StoryAccess),
    publication: (f) => {
      const p = f.alias("p");
      return f.one(p, `FROM publications ${p} WHERE ${p}.id = ${f.a}.publication_id`);
    },
    image: (f) =>
      `CASE WHEN ${f.a}.image_url IS NULL AND ${f.a}.image_caption IS NULL AND ${f.a}.image_credit IS NULL THEN NULL ELSE ${f.here()} END`,
    bullets: (f) => {
      const b = f.alias("b");
      return f.many(b, `FROM bullets ${b} WHERE ${b}.story_id = ${f.a}.id`, `${b}.position`);
    },
    topics: (f) => {
      const t = f.alias("t");
      return `(SELECT ${f.d.list(`${t}.topic`, `${t}.position, ${t}.topic`)} FROM story_topics ${t} WHERE ${t}.story_id = ${f.a}.id)`;
    },
  },
  observed: { values: (a) => [`${a}.id`], entity: ([id]) => Object.assign(new Story(), { id }) },
};

export const STORY_IMAGE: RenderedType = {
  fields: { url: column("image_url"), caption: column("image_caption"), credit: column("image_credit") },
};

const story: FieldRender = (f) => {
  // Exactly one of id and slug, or the resolver says what is wrong.
  if ((f.args.id == null) === (f.args.slug == null)) notRendered();
  const s = f.alias("s");
  if (f.args.id != null)
    return f.one(s, `FROM stories ${s} WHERE ${s}.id = ${f.param((args) => fromGlobalIdOfType(args.id as string, "Story"))}`);
  return f.one(s, `FROM stories ${s} WHERE ${s}.slug = ${f.param((args) => args.slug)}`);
};

/** The root fields Story renders; `stories` only unfiltered (a filter needs lookups first). */
export const STORY_QUERIES: Record<string, FieldRender> = {
  story,
  stories: (f) => {
    if (f.args.filter != null) notRendered();
    return f.connection(renderedPage(STORIES, f, null));
  },
};
