import { renderedPage } from "../db/list";
import { column, enumColumn, type FieldRender, type FieldRendering, globalIdOf, notRendered, type RenderedType } from "../db/render";
import { QUOTES_OF_SPEAKER } from "../quote/quote.loaders";
import { fromGlobalIdOfType } from "../relay/global-id";
import { Speaker, SpeakerKind } from "./speaker.entity";
import { MERGE_HOPS } from "./speaker.loaders";

/**
 * The id `id` (SQL) answers as: a merged speaker's answers as the speaker it was merged
 * into, as `speakerById` resolves it; null when there is no such speaker.
 */
export function resolvedSpeakerId(f: FieldRendering, id: string, hops = 0): string {
  if (hops === MERGE_HOPS) return id;
  const t = f.alias("m");
  return `(SELECT CASE WHEN ${t}.merged_into_id IS NULL THEN ${t}.id ELSE ${resolvedSpeakerId(f, `${t}.merged_into_id`, hops + 1)} END FROM speakers ${t} WHERE ${t}.id = ${id})`;
}

/** Speaker as rendered in SQL (db/render.ts), over a speakers row. */
export const SPEAKER: RenderedType = {
  fields: {
    id: globalIdOf("Speaker"),
    slug: column("slug"),
    name: column("name"),
    kind: enumColumn("kind", SpeakerKind),
    role: column("role"),
    aliases: (f) => {
      const t = f.alias("al");
      return `(SELECT ${f.d.list(`${t}.alias`, `${t}.alias`)} FROM speaker_aliases ${t} WHERE ${t}.speaker_id = ${f.a}.id)`;
    },
    quotes: (f) => {
      // Windows and `distinct` (with its per-statement report counts) stay with the resolver.
      if (f.args.since != null || f.args.until != null || f.args.distinct) notRendered();
      return f.connection(renderedPage(QUOTES_OF_SPEAKER, f, `${f.a}.id`, { edge: { reportCount: () => "1" } }));
    },
  },
  observed: { values: (a) => [`${a}.id`], entity: ([id]) => Object.assign(new Speaker(), { id }) },
};

const speaker: FieldRender = (f) => {
  if ((f.args.id == null) === (f.args.slug == null)) notRendered();
  const sp = f.alias("sp");
  const id =
    f.args.id != null
      ? f.param((args) => fromGlobalIdOfType(args.id as string, "Speaker"))
      : `(SELECT bs.id FROM speakers bs WHERE bs.slug = ${f.param((args) => args.slug)})`;
  return f.one(sp, `FROM speakers ${sp} WHERE ${sp}.id = ${resolvedSpeakerId(f, id)}`);
};

export const SPEAKER_QUERIES: Record<string, FieldRender> = { speaker };
