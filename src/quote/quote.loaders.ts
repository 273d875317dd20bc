import DataLoader from "dataloader";
import { type DataSource, In, type WhereExpressionBuilder } from "typeorm";

import { byKey, groupByKey } from "../db/batch";
import { countLoader } from "../db/count-loader";
import { afterNewest, afterOldestBy } from "../db/keyset";
import { loadRanked, pageLoader } from "../db/ranked";
import { decodeCursor } from "../relay/cursor";
import { Speaker } from "../speaker/speaker.entity";
import { Quote } from "./quote.entity";
import { type LoaderOptions } from "../db/loader-options";

type QuoteWithSpeaker = Quote & { loadedSpeaker?: Speaker | null };

export function createQuoteLoaders(
  dataSource: DataSource,
  options: LoaderOptions,
  related: { speakerById: DataLoader<number, Speaker | null> },
) {
  const quotes = dataSource.getRepository(Quote);

  /**
   * A quote is almost always shown with its speaker, so lists of quotes fetch the speakers
   * in the same statement and prime `speakerById`: `quote { speaker { name } }` then costs
   * no extra round trip.
   */
  async function quotesWithSpeakers(column: "bullet_id" | "story_id", ids: readonly number[]): Promise<Quote[]> {
    const rows: QuoteWithSpeaker[] = await dataSource
      .createQueryBuilder(Quote, "q")
      .leftJoinAndMapOne("q.loadedSpeaker", Speaker, "sp", "sp.id = q.speaker_id")
      .where(`q.${column} IN (:...parentIds)`, { parentIds: [...ids] })
      .orderBy("q.bullet_id")
      .addOrderBy("q.start_offset")
      .getMany();
    for (const quote of rows) {
      if (quote.loadedSpeaker) related.speakerById.prime(quote.loadedSpeaker.id, quote.loadedSpeaker);
      delete quote.loadedSpeaker;
    }
    return rows;
  }

  return {
    quoteById: new DataLoader<number, Quote | null>(
      async (ids) => byKey(ids, await quotes.findBy({ id: In([...ids]) }), (quote) => quote.id),
      options,
    ),

    quotesByBulletId: new DataLoader<number, Quote[]>(
      async (ids) => groupByKey(ids, await quotesWithSpeakers("bullet_id", ids), (quote) => quote.bulletId),
      options,
    ),

    quotesByStoryId: new DataLoader<number, Quote[]>(
      async (ids) => groupByKey(ids, await quotesWithSpeakers("story_id", ids), (quote) => quote.storyId),
      options,
    ),

    /**
     * A speaker's quotes, newest first, one page per speaker. With `distinct`, each
     * statement once: only its first report (the quote whose id is the statement id).
     */
    quotesBySpeakerId: pageLoader<Quote, SpeakerQuotesFilter>(options, (speakerIds, first, after, filter) => {
      const keyset = afterNewest("q", after ? decodeCursor(after, "date") : null);
      return loadRanked({
        dataSource,
        entity: Quote,
        limit: first + 1,
        rank: (sub) =>
          speakerQuotesWhere(
            sub
              .select("q.speaker_id", "parent_key")
              .addSelect("q.id", "entity_id")
              .addSelect("ROW_NUMBER() OVER (PARTITION BY q.speaker_id ORDER BY q.published_at DESC, q.id DESC)", "rn")
              .from("quotes", "q")
              .where("q.speaker_id IN (:...speakerIds)", { speakerIds })
              .andWhere(keyset.sql, keyset.params),
            filter,
          ),
      });
    }),

    quoteCountBySpeakerId: countLoader(dataSource, options, "quotes", "speaker_id"),

    /** `totalCount` of a speaker's quotes within a window or distinct; one GROUP BY per filter. */
    filteredQuoteCountBySpeaker: new DataLoader<{ speakerId: number; filter: SpeakerQuotesFilter }, number, string>(
      async (keys) => {
        const counts = new Map<string, number>();
        const groups = new Map<string, number[]>();
        for (const key of keys) {
          const id = JSON.stringify(key.filter);
          groups.set(id, [...(groups.get(id) ?? []), key.speakerId]);
        }
        for (const [id, speakerIds] of groups) {
          const filter = JSON.parse(id) as SpeakerQuotesFilter;
          const rows: Array<{ parent_key: number | string; total: number | string }> = await speakerQuotesWhere(
            dataSource
              .createQueryBuilder()
              .select("q.speaker_id", "parent_key")
              .addSelect("COUNT(*)", "total")
              .from("quotes", "q")
              .where("q.speaker_id IN (:...countIds)", { countIds: [...new Set(speakerIds)] }),
            filter,
          )
            .groupBy("q.speaker_id")
            .getRawMany();
          for (const row of rows) counts.set(`${row.parent_key}:${id}`, Number(row.total));
        }
        return keys.map((key) => counts.get(`${key.speakerId}:${JSON.stringify(key.filter)}`) ?? 0);
      },
      { ...options, cacheKeyFn: (key) => `${key.speakerId}:${JSON.stringify(key.filter)}` },
    ),

    /** The other reports of each quote's statement, earliest first, one statement for all quotes. */
    echoesByQuoteId: pageLoader<Quote>(options, (quoteIds, first, after) => {
      const keyset = afterOldestBy("q", "published_at", after ? decodeCursor(after, "date") : null);
      return loadRanked({
        dataSource,
        entity: Quote,
        limit: first + 1,
        rank: (sub) =>
          sub
            .select("me.id", "parent_key")
            .addSelect("q.id", "entity_id")
            .addSelect("ROW_NUMBER() OVER (PARTITION BY me.id ORDER BY q.published_at ASC, q.id ASC)", "rn")
            .from("quotes", "me")
            .innerJoin("quotes", "q", "q.statement_id = me.statement_id AND q.id <> me.id")
            .where("me.id IN (:...quoteIds)", { quoteIds })
            .andWhere(keyset.sql, keyset.params),
      });
    }),

    /** How many reports each statement has (the quote itself included), by statement id. */
    reportCountByStatementId: countLoader(dataSource, options, "quotes", "statement_id"),
  };
}

/** Extra arguments of `Speaker.quotes`, as plain data (it is part of loader keys). */
export interface SpeakerQuotesFilter {
  since: string | null;
  until: string | null;
  distinct: boolean;
}

function speakerQuotesWhere<Q extends WhereExpressionBuilder>(query: Q, filter: SpeakerQuotesFilter | undefined): Q {
  if (filter?.since) query.andWhere("q.published_at >= :quotesSince", { quotesSince: new Date(filter.since) });
  if (filter?.until) query.andWhere("q.published_at < :quotesUntil", { quotesUntil: new Date(filter.until) });
  if (filter?.distinct) query.andWhere("q.id = q.statement_id");
  return query;
}
