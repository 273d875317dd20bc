import {
  Arg,
  Args,
  Ctx,
  createUnionType,
  Field,
  FieldResolver,
  Float,
  Int,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
} from "type-graphql";

import { type Context } from "../context";
import { Quote } from "../quote/quote.entity";
import { PageInfo, pageSize, toConnection } from "../relay/connection";
import { decodeCursor, encodeCursor } from "../relay/cursor";
import { PageArgs } from "../relay/pagination.args";
import { Speaker } from "../speaker/speaker.entity";
import { Story } from "../story/story.entity";
import { parseSearch, queryWords } from "./query";
import { SearchIndex, type SearchKind as IndexKind } from "./search-index";
import { bestSnippet, highlight } from "./snippet";

export enum SearchKind {
  STORY = "story",
  QUOTE = "quote",
  SPEAKER = "speaker",
}
registerEnumType(SearchKind, {
  name: "SearchKind",
  description: "What a search hit is.",
  valuesConfig: {
    STORY: { description: "A story, matched on its headline, standfirst or bullets." },
    QUOTE: { description: "A quote, matched on its words." },
    SPEAKER: { description: "A speaker, matched on name, aliases or role." },
  },
});

export const SearchResult = createUnionType({
  name: "SearchResult",
  description: "A story, a quote or a speaker.",
  types: () => [Story, Quote, Speaker] as const,
});

@ObjectType({ description: "One ranked search hit." })
export class SearchHit {
  @Field(() => String, { description: "Opaque cursor; pass as `after` to continue after this hit." })
  cursor!: string;

  @Field(() => SearchKind, { description: "What the hit is." })
  kind!: SearchKind;

  @Field(() => Float, { description: "Relevance; higher is better. Comparable within one search only." })
  score!: number;

  @Field(() => SearchResult, { description: "The story, quote or speaker found." })
  node!: Story | Quote | Speaker;

  /** The words and phrases searched for, for the snippet. */
  terms!: string[];
  phrases!: string[][];
}

@ObjectType({ description: "A page of search hits, best first." })
export class SearchConnection {
  @Field(() => [SearchHit], { description: "The hits on this page, best first." })
  edges!: SearchHit[];

  @Field(() => PageInfo, { description: "Cursors and whether more pages exist." })
  pageInfo!: PageInfo;

  // `simple: false`: may hold a promise, which a field read directly (readPlainFieldsDirectly) would not await.
  @Field(() => Int, { simple: false, description: "How many hits the search has in all." })
  totalCount!: number | Promise<number>;
}

@Resolver(() => SearchHit)
export class SearchResolver {
  @Query(() => SearchConnection, {
    description:
      'Ranked search across stories (headline, bullets), quotes and speakers (name, aliases). Words match as prefixes, accents ignored ("Zelensky" finds "Zelenskyy"); "quoted words" match as a phrase.',
  })
  async search(
    @Ctx() ctx: Context,
    @Arg("query", () => String, { description: 'Words and "phrases"; all must match.' }) query: string,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("kinds", () => [SearchKind], { nullable: true, description: "Only these kinds of hit; all by default." })
    kinds?: SearchKind[] | null,
  ): Promise<SearchConnection> {
    const parsed = parseSearch(query);
    const limit = pageSize(page.first);
    const cursor = page.after ? decodeCursor(page.after, "number") : null;
    const wanted = (kinds?.length ? kinds : Object.values(SearchKind)) as IndexKind[];
    const hits = await SearchIndex.search(ctx.dataSource, parsed, {
      limit: limit + 1,
      after: cursor ? { score: Number(cursor.key), id: cursor.id } : null,
      kinds: wanted,
    });
    const nodes = await Promise.all(
      hits.map((hit) =>
        hit.kind === "story"
          ? ctx.loaders.storyById.load(hit.refId)
          : hit.kind === "quote"
            ? ctx.loaders.quoteById.load(hit.refId)
            : ctx.loaders.speakerById.load(hit.refId),
      ),
    );
    const terms = queryWords(parsed);
    // The index is written in the same transaction as the rows, so a missing row is a race with a delete.
    const found = hits.flatMap((hit, i) => (nodes[i] ? [{ hit, node: nodes[i]! }] : []));
    return toConnection(
      found,
      limit,
      page.after,
      ({ hit, node }) => ({
        cursor: encodeCursor({ key: hit.score, id: hit.docId }),
        kind: hit.kind as SearchKind,
        score: hit.score,
        node,
        terms,
        phrases: parsed.phrases,
      }),
      () => SearchIndex.count(ctx.dataSource, parsed, wanted),
    );
  }

  @FieldResolver(() => String, { description: "Where the hit matched, HTML-escaped, matched words in <mark>…</mark>." })
  async snippet(@Root() hit: SearchHit, @Ctx() ctx: Context): Promise<string> {
    if (hit.node instanceof Quote) return highlight(hit.node.text, hit.terms) ?? hit.node.text;
    if (hit.node instanceof Speaker) {
      const aliases = await ctx.loaders.aliasesBySpeakerId.load(hit.node.id);
      return bestSnippet([hit.node.name, ...aliases, hit.node.role ?? ""], hit.terms, hit.phrases) ?? hit.node.name;
    }
    const story = hit.node;
    const bullets = await ctx.loaders.bulletsByStoryId.load(story.id);
    const texts = [story.headline, story.standfirst ?? "", ...bullets.map((bullet) => bullet.text)];
    return bestSnippet(texts, hit.terms, hit.phrases) ?? story.headline;
  }
}
