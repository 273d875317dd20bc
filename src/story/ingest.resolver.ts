import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";

import { type Context } from "../context";
import { BadInputError } from "../errors";
import { afterCommit } from "../events/effects";
import { IngestionError } from "../ingestion/errors";
import { MAX_HTML_BYTES } from "../ingestion/html/dom";
import { ingestArticle, ingestHtmlArticle } from "../ingestion/ingest";
import { IngestArticleInput, IngestArticlePayload } from "./ingest.args";
import { Story } from "./story.entity";

/** The canonical_url column's width; a longer address is refused, never cut (it is a key). */
const MAX_URL_CHARS = 2_000;

@Resolver()
export class IngestResolver {
  @Authorized("editor")
  @Mutation(() => IngestArticlePayload, {
    description:
      "Parses an article page (captured text or the publisher's HTML) and stores its story, bullets, quotes and speakers in one transaction. Needs an editor key. " +
      "A page beyond the article limits (see `IngestArticleInput.text`) is refused with BAD_USER_INPUT and nothing is stored.",
  })
  async ingestArticle(
    @Ctx() ctx: Context,
    @Arg("input", () => IngestArticleInput, { description: "The page and what it does not say." }) input: IngestArticleInput,
  ): Promise<IngestArticlePayload> {
    const { text, html } = input;
    if ((text == null) === (html == null))
      throw new BadInputError("Give exactly one of input.text (a captured page) or input.html (the publisher's HTML page)", {
        argument: text == null ? "input.text" : "input.html",
      });
    const argument = html != null ? "input.html" : "input.text";
    if (!(html ?? text ?? "").trim()) throw new BadInputError(`${argument} is empty`, { argument });
    if (html != null && Buffer.byteLength(html, "utf8") > MAX_HTML_BYTES)
      throw new BadInputError(`input.html is over the limit of ${MAX_HTML_BYTES} bytes (5 MB)`, { argument });
    for (const name of ["canonicalUrl", "url"] as const) {
      const value = input[name];
      if (value != null && value.length > MAX_URL_CHARS)
        throw new BadInputError(`input.${name} is longer than ${MAX_URL_CHARS} characters`, { argument: `input.${name}` });
      if (value != null && !isHttpUrl(value))
        throw new BadInputError(`input.${name} "${value.slice(0, 80)}" is not an http(s) URL`, { argument: `input.${name}` });
    }
    if (input.url != null && html == null) throw new BadInputError("input.url goes with input.html", { argument: "input.url" });
    try {
      const meta = {
        publication: input.publication,
        canonicalUrl: input.canonicalUrl,
        publishedAt: input.publishedAt,
        access: input.access,
      };
      const { summary } =
        html != null
          ? await ingestHtmlArticle(ctx.dataSource, html, { ...meta, url: input.url })
          : await ingestArticle(ctx.dataSource, text!, meta);
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
      if (error instanceof IngestionError) throw new BadInputError(`Cannot ingest the article: ${error.message}`, { argument });
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
