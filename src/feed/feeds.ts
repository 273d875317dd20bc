import { type DataSource } from "typeorm";

import { writeTransaction } from "../db/write-queue";
import { BadInputError, ConflictError, NotFoundError } from "../errors";
import { Publication } from "../publication/publication.entity";
import { Feed } from "./feed.entity";

export const MAX_FEED_URL_LENGTH = 2000;

/**
 * A feed URL as the poller will fetch it: absolute http(s), no credentials, no fragment.
 * Whether its host may be fetched is decided at fetch time (DNS can change), not here.
 */
export function feedUrl(raw: string, argument = "input.url"): string {
  const trimmed = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  const shown = trimmed.slice(0, 80);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new BadInputError(`"${shown}" is not an http(s) URL`, { argument });
  }
  if (url.username || url.password)
    throw new BadInputError(`"${shown}" has credentials in it; feeds are fetched without them`, { argument });
  url.hash = "";
  const normal = url.toString();
  if (normal.length > MAX_FEED_URL_LENGTH)
    throw new BadInputError(`the URL is longer than ${MAX_FEED_URL_LENGTH} characters`, { argument });
  return normal;
}

/** Registering and removing feeds: the API and `npm run feeds` both come here. */
export class Feeds {
  constructor(private readonly dataSource: DataSource) {}

  /** A new feed is due at once, so the next poller tick reads it. */
  add(publicationSlug: string, rawUrl: string): Promise<Feed> {
    const url = feedUrl(rawUrl);
    const slug = publicationSlug.trim();
    if (!slug) throw new BadInputError("input.publication is empty", { argument: "input.publication" });
    return writeTransaction(this.dataSource, async (manager) => {
      const publication = await manager.findOneBy(Publication, { slug });
      if (!publication) throw new NotFoundError(`No publication has the slug "${slug.slice(0, 80)}"`);
      if (await manager.existsBy(Feed, { url })) throw new ConflictError(`The feed ${url.slice(0, 200)} is already registered`);
      const now = new Date();
      return manager.save(
        manager.create(Feed, {
          publicationId: publication.id,
          url,
          etag: null,
          lastModified: null,
          lastPolledAt: null,
          lastStatus: null,
          lastError: null,
          itemsIngested: 0,
          consecutiveFailures: 0,
          nextPollAt: now,
          leaseOwner: null,
          leaseExpiresAt: null,
          createdAt: now,
        }),
      );
    });
  }

  /** The stories ingested from it stay; only the feed and its item log go. */
  remove(id: number): Promise<Feed> {
    return writeTransaction(this.dataSource, async (manager) => {
      const feed = await manager.findOneBy(Feed, { id });
      if (!feed) throw new NotFoundError("No feed has that id");
      await manager.delete(Feed, { id });
      // The caller gets the feed as it was; its id no longer resolves.
      return Object.assign(manager.create(Feed), feed);
    });
  }

  findByUrl(rawUrl: string): Promise<Feed | null> {
    return this.dataSource.getRepository(Feed).findOneBy({ url: feedUrl(rawUrl, "url") });
  }

  list(): Promise<Array<Feed & { publicationSlug: string }>> {
    return this.dataSource
      .getRepository(Feed)
      .createQueryBuilder("f")
      .innerJoin(Publication, "p", "p.id = f.publication_id")
      .addSelect("p.slug", "publication_slug")
      .orderBy("f.url", "ASC")
      .getRawAndEntities()
      .then(({ entities, raw }) => entities.map((feed, i) => Object.assign(feed, { publicationSlug: String(raw[i].publication_slug) })));
  }
}
