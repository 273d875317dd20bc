import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";

import { type Context } from "../context";
import { BadInputError } from "../errors";
import { afterCommit } from "../events/effects";
import { IngestionError } from "../ingestion/errors";
import { ingestArticle } from "../ingestion/ingest";
import { IngestArticleInput, IngestArticlePayload } from "./ingest.args";
import { Story } from "./story.entity";

/** The canonical_url column's width; a longer address is refused, never cut (it is a key). */
const MAX_URL_CHARS = 2_000;

@Resolver()
export class IngestResolver {
  @Authorized("editor")
  @Mutation(() => IngestArticlePayload, {
    description:
      "Parses an article page and stores its story, bullets, quotes and speakers in one transaction. Needs an editor key. " +
      "A page beyond the article limits (see `IngestArticleInput.text`) is refused with BAD_USER_INPUT and nothing is stored.",
  })
  async ingestArticle(
    @Ctx() ctx: Context,
    @Arg("input", () => IngestArticleInput, { description: "The page and what it does not say." }) input: IngestArticleInput,
  ): Promise<IngestArticlePayload> {
    if (!input.text.trim()) throw new BadInputError("input.text is empty", { argument: "input.text" });
    if (input.canonicalUrl != null && input.canonicalUrl.length > MAX_URL_CHARS)
      throw new BadInputError(`input.canonicalUrl is longer than ${MAX_URL_CHARS} characters`, { argument: "input.canonicalUrl" });
    if (input.canonicalUrl != null && !isHttpUrl(input.canonicalUrl)) {
      throw new BadInputError(`input.canonicalUrl "${input.canonicalUrl.slice(0, 80)}" is not an http(s) URL`, {
        argument: "input.canonicalUrl",
      });
    }
    try {
      const { summary } = await ingestArticle(ctx.dataSource, input.text, {
        publication: input.publication,
        canonicalUrl: input.canonicalUrl,
        publishedAt: input.publishedAt,
        access: input.access,
      });
      await afterCommit(ctx.events, summary.effects);
      const story = (await ctx.dataSource.getRepository(Story).findOneBy({ id: summary.storyId }))!;
      return {
        story,
        created: summary.created,
        bullets: summary.bullets,
        quotes: summary.quotes,
        speakersNew: summary.speakersNew,
        speakersMatched: summary.speakersMatched,
      };
    } catch (error) {
      if (error instanceof IngestionError)
        throw new BadInputError(`Cannot ingest the article: ${error.message}`, { argument: "input.text" });
      throw error;
    }
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
