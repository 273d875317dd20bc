import DataLoader from "dataloader";
import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { type DataSource } from "typeorm";

import { type LoaderOptions } from "../db/loader-options";
import { type BucketInterval, timeBucketSql } from "../db/time-bucket";
import { BadInputError } from "../errors";
import { GraphQLDateTime } from "../relay/scalars";

export enum TimelineInterval {
  DAY = "day",
  WEEK = "week",
  MONTH = "month",
}
registerEnumType(TimelineInterval, {
  name: "TimelineInterval",
  description: "The width of a timeline bucket, in UTC.",
  valuesConfig: {
    DAY: { description: "One calendar day." },
    WEEK: { description: "One week, starting on Monday." },
    MONTH: { description: "One calendar month." },
  },
});

@ObjectType({ description: "How much a speaker was quoted in one interval of time." })
export class TimelineBucket {
  @Field(() => GraphQLDateTime, { description: "When the interval starts (UTC midnight; a Monday for weeks, the 1st for months)." })
  start!: Date;

  @Field(() => Int, { description: "How many quotes by the speaker were published in the interval (every report counts)." })
  count!: number;

  @Field(() => Int, { description: "How many stories carried those quotes." })
  stories!: number;
}

export interface TimelineKey {
  speakerId: number;
  interval: TimelineInterval;
  since: Date | null;
  until: Date | null;
}

/** Dates outside this range are a client mistake (a mistyped year), not a question. */
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** Rejects a window that cannot be meant: reversed, empty, or outside 1900–2200. */
export function checkTimelineWindow(since: Date | null | undefined, until: Date | null | undefined): void {
  for (const [name, date] of [
    ["since", since],
    ["until", until],
  ] as const) {
    if (date && (date.getTime() < EARLIEST || date.getTime() > LATEST)) {
      throw new BadInputError(`${name} (${date.toISOString()}) must be between 1900 and 2200`, { argument: name });
    }
  }
  if (since && until && since.getTime() >= until.getTime()) {
    throw new BadInputError(`since (${since.toISOString()}) must be earlier than until (${until.toISOString()})`, { argument: "since" });
  }
}

const groupId = (key: TimelineKey) => `${key.interval}:${key.since?.toISOString() ?? ""}:${key.until?.toISOString() ?? ""}`;

/**
 * Timelines of many speakers in one statement: speakers asking for the same interval and
 * window (every speaker on a screen) are one GROUP BY speaker, bucket.
 */
export function createTimelineLoaders(dataSource: DataSource, options: LoaderOptions) {
  return {
    timelineBySpeaker: new DataLoader<TimelineKey, TimelineBucket[], string>(
      async (keys) => {
        const results = new Map<string, TimelineBucket[]>();
        const groups = new Map<string, TimelineKey[]>();
        for (const key of keys) groups.set(groupId(key), [...(groups.get(groupId(key)) ?? []), key]);
        for (const group of groups.values()) {
          const { interval, since, until } = group[0];
          const bucket = timeBucketSql(dataSource, interval as BucketInterval, "q.published_at");
          const query = dataSource
            .createQueryBuilder()
            .select("q.speaker_id", "speaker_id")
            .addSelect(bucket, "bucket")
            .addSelect("COUNT(*)", "quotes")
            .addSelect("COUNT(DISTINCT q.story_id)", "stories")
            .from("quotes", "q")
            .where("q.speaker_id IN (:...timelineSpeakerIds)", { timelineSpeakerIds: [...new Set(group.map((key) => key.speakerId))] });
          if (since) query.andWhere("q.published_at >= :timelineSince", { timelineSince: since });
          if (until) query.andWhere("q.published_at < :timelineUntil", { timelineUntil: until });
          const rows: Array<{ speaker_id: number | string; bucket: string; quotes: number | string; stories: number | string }> =
            await query.groupBy("q.speaker_id").addGroupBy(bucket).orderBy("q.speaker_id").addOrderBy("bucket").getRawMany();
          const bySpeaker = new Map<number, TimelineBucket[]>();
          for (const row of rows) {
            const list = bySpeaker.get(Number(row.speaker_id)) ?? [];
            list.push({ start: new Date(row.bucket), count: Number(row.quotes), stories: Number(row.stories) });
            bySpeaker.set(Number(row.speaker_id), list);
          }
          for (const key of group) results.set(timelineKeyId(key), bySpeaker.get(key.speakerId) ?? []);
        }
        return keys.map((key) => results.get(timelineKeyId(key)) ?? []);
      },
      { ...options, cacheKeyFn: timelineKeyId },
    ),
  };
}

const timelineKeyId = (key: TimelineKey) => `${key.speakerId}:${groupId(key)}`;
