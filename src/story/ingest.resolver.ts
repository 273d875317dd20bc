import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";

import { type Context } from "../context";
import { BadInputError } from "../errors";
import { IngestionError } from "../ingestion/errors";
import { ingestArticle } from "../ingestion/ingest";
import { IngestArticleInput, IngestArticlePayload } from "./ingest.args";
import { announceIngest } from "./ingest-effects";
import { Story } from "./story.entity";

/** Large enough for any article page; a bigger "page" is almost certainly a mistake. */
const MAX_ARTICLE_CHARS = 200_000;

@Resolver()
export class IngestResolver {
  @Authorized("editor")
  @Mutation(() => IngestArticlePayload, {
    description: "Parses an article page and stores its story, bullets, quotes and speakers in one transaction. Needs an editor key.",
  })
  async ingestArticle(
    @Ctx() ctx: Context,
    @Arg("input", () => IngestArticleInput, { description: "The page and what it does not say." }) input: IngestArticleInput,
  ): Promise<IngestArticlePayload> {
    if (!input.text.trim()) throw new BadInputError("input.text is empty", { argument: "input.text" });
    if (input.text.length > MAX_ARTICLE_CHARS)
      throw new BadInputError(`input.text is longer than ${MAX_ARTICLE_CHARS} characters`, { argument: "input.text" });
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
      await announceIngest(ctx.dataSource, ctx.events, summary);
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
