import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey, groupByKey } from "../db/batch";
import { countLoader } from "../db/count-loader";
import { afterNewest } from "../db/keyset";
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

    /** Every quote a speaker made, newest first, one page per speaker. */
    quotesBySpeakerId: pageLoader<Quote>(options, (speakerIds, first, after) => {
      const keyset = afterNewest("q", after ? decodeCursor(after, "date") : null);
      return loadRanked({
        dataSource,
        entity: Quote,
        limit: first + 1,
        rank: (sub) =>
          sub
            .select("q.speaker_id", "parent_key")
            .addSelect("q.id", "entity_id")
            .addSelect("ROW_NUMBER() OVER (PARTITION BY q.speaker_id ORDER BY q.published_at DESC, q.id DESC)", "rn")
            .from("quotes", "q")
            .where("q.speaker_id IN (:...speakerIds)", { speakerIds })
            .andWhere(keyset.sql, keyset.params),
      });
    }),

    quoteCountBySpeakerId: countLoader(dataSource, options, "quotes", "speaker_id"),
  };
}
