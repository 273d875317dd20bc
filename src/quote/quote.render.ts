import { column, dateTimeColumn, enumColumn, globalIdOf, type RenderedType } from "../db/render";
import { speakerAnswering } from "../speaker/speaker.render";
import { AttributionRule, Quote, QuoteReviewState } from "./quote.entity";

/**
 * Quote as rendered in SQL (db/render.ts), over a quotes row. `attributionConfidence` is left
 * to the resolver: SQL and JavaScript print some floating-point numbers differently.
 */
export const QUOTE: RenderedType = {
  fields: {
    id: globalIdOf("Quote"),
    text: column("text"),
    startOffset: column("start_offset"),
    endOffset: column("end_offset"),
    context: column("context"),
    attributionRule: enumColumn("attribution_rule", AttributionRule),
    publishedAt: dateTimeColumn("published_at"),
    reviewState: enumColumn("review_state", QuoteReviewState),
    reviewedAt: dateTimeColumn("reviewed_at"),
    reviewedBy: column("reviewed_by"),
    speaker: (f) => {
      const sp = f.alias("sp");
      return f.one(
        sp,
        speakerAnswering(f, sp, (h0) => `${h0}.id = ${f.a}.speaker_id`),
      );
    },
    story: (f) => {
      const s = f.alias("s");
      return f.one(s, `FROM stories ${s} WHERE ${s}.id = ${f.a}.story_id`);
    },
    bullet: (f) => {
      const b = f.alias("b");
      return f.one(b, `FROM bullets ${b} WHERE ${b}.id = ${f.a}.bullet_id`);
    },
  },
  observed: {
    values: (a) => [`${a}.story_id`, `${a}.speaker_id`],
    entity: ([storyId, speakerId]) => Object.assign(new Quote(), { storyId, speakerId }),
  },
};
