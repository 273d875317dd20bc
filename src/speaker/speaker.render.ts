import { renderedPage } from "../db/list";
import { column, enumColumn, type FieldRender, type FieldRendering, globalIdOf, notRendered, type RenderedType } from "../db/render";
import { QUOTES_OF_SPEAKER } from "../quote/quote.loaders";
import { fromGlobalIdOfType } from "../relay/global-id";
import { Speaker, SpeakerKind } from "./speaker.entity";
import { MERGE_HOPS } from "./speaker.loaders";

/**
 * A FROM clause reading, as `sp`, the speaker that the row `h0` of speakers matching
 * `where(h0)` answers as: a merged speaker answers as the one it was merged into, up to
 * MERGE_HOPS merges, as `speakerById` resolves it; none when that speaker is missing. The
 * hops are joins rather than nested subqueries: PostgreSQL ran the nested form more than
 * twice as slowly on a front page, even where no speaker was merged.
 */
export function speakerAnswering(f: FieldRendering, sp: string, where: (h0: string) => string): string {
  const hops = Array.from({ length: MERGE_HOPS + 1 }, () => f.alias("h"));
  const joins = hops
    .slice(1)
    .map((h, i) => `LEFT JOIN speakers ${h} ON ${h}.id = ${hops[i]}.merged_into_id`)
    .join(" ");
  const answering = `CASE ${hops
    .slice(0, -1)
    .map((h) => `WHEN ${h}.merged_into_id IS NULL THEN ${h}.id`)
    .join(" ")} ELSE ${hops[MERGE_HOPS]}.id END`;
  return `FROM speakers ${hops[0]} ${joins} JOIN speakers ${sp} ON ${sp}.id = ${answering} WHERE ${where(hops[0])}`;
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
  if (f.args.id != null) {
    const id = f.param((args) => fromGlobalIdOfType(args.id as string, "Speaker"));
    return f.one(
      sp,
      speakerAnswering(f, sp, (h0) => `${h0}.id = ${id}`),
    );
  }
  const slug = f.param((args) => args.slug);
  return f.one(
    sp,
    speakerAnswering(f, sp, (h0) => `${h0}.slug = ${slug}`),
  );
};

export const SPEAKER_QUERIES: Record<string, FieldRender> = { speaker };
