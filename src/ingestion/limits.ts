import { IngestionError } from "./errors";
import { type ParsedStory } from "./types";

/**
 * What one article may hold. Real pages stay far below every figure (the longest labelled
 * article has under 100 quotes); the limits exist so that one page cannot cost the server
 * unbounded time, memory or statements. Beyond any of them the article is refused whole
 * (BAD_USER_INPUT over the API, a one-line message from the CLI) and nothing is stored.
 */
export const ARTICLE_LIMITS = Object.freeze({
  /** Characters of page text (the HTTP body limit, 1 MB by default, applies too). */
  maxChars: 1_000_000,
  /** Direct quotes found on the page. */
  maxQuotes: 5_000,
  /** Bullets (or paragraphs of a page without bullets). */
  maxBullets: 2_000,
  /** Distinct speakers quoted. */
  maxSpeakers: 500,
});

/**
 * Text the page supplies for a column of limited width. It is never cut short (a truncated
 * name would become a different speaker): past its column's width the article is refused.
 * Slugs, which Newsgate derives itself, are made to fit instead.
 */
export const FIELD_LIMITS = Object.freeze({
  headline: 1_000,
  section: 200,
  byline: 500,
  imageCredit: 500,
  publicationName: 300,
  publicationEdition: 100,
  speakerName: 300,
  speakerRole: 300,
  topic: 200,
});

export class ArticleLimitError extends IngestionError {
  override name = "ArticleLimitError";
}

/**
 * Refuses, before anything parses it, a page longer than `ARTICLE_LIMITS.maxChars` or with a
 * NUL character (which PostgreSQL cannot store in text, and no article contains).
 */
export function checkPageText(text: string): void {
  if (text.length > ARTICLE_LIMITS.maxChars)
    throw new ArticleLimitError(`the page has ${text.length} characters; an article may have at most ${ARTICLE_LIMITS.maxChars}`);
  if (text.includes("\u0000")) throw new ArticleLimitError("the page contains a NUL character");
}

/** Refuses a parsed article beyond any limit above, naming the first one it exceeds. */
export function checkArticleLimits(parsed: ParsedStory): void {
  const counts: Array<[string, number, number]> = [
    ["speakers", parsed.speakers.length, ARTICLE_LIMITS.maxSpeakers],
    ["quotes", parsed.quotes.length, ARTICLE_LIMITS.maxQuotes],
    ["bullets", parsed.bullets.length, ARTICLE_LIMITS.maxBullets],
  ];
  for (const [what, count, limit] of counts)
    if (count > limit) throw new ArticleLimitError(`the page has ${count} ${what}; an article may have at most ${limit}`);
  const fields: Array<[string, string | null | undefined, number]> = [
    ["headline", parsed.headline, FIELD_LIMITS.headline],
    ["section", parsed.section, FIELD_LIMITS.section],
    ["byline", parsed.byline, FIELD_LIMITS.byline],
    ["image credit", parsed.image?.credit, FIELD_LIMITS.imageCredit],
    ["publication name", parsed.publication?.name, FIELD_LIMITS.publicationName],
    ["publication brand", parsed.publication?.brand, FIELD_LIMITS.publicationName],
    ["publication edition", parsed.publication?.edition, FIELD_LIMITS.publicationEdition],
    ...parsed.topics.map((topic): [string, string, number] => ["topic", topic, FIELD_LIMITS.topic]),
    ...parsed.speakers.flatMap((speaker): Array<[string, string | null, number]> => [
      ["speaker name", speaker.name, FIELD_LIMITS.speakerName],
      ["speaker role", speaker.role, FIELD_LIMITS.speakerRole],
      ...speaker.mentions.map((mention): [string, string, number] => ["speaker name", mention, FIELD_LIMITS.speakerName]),
    ]),
  ];
  for (const [what, value, limit] of fields) {
    if (value && value.length > limit)
      throw new ArticleLimitError(`the ${what} "${value.slice(0, 40)}…" has ${value.length} characters; at most ${limit} fit`);
  }
}
