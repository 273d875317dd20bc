import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";

import { Bullet } from "../bullet/bullet.entity";
import { type Context } from "../context";
import { rootCount } from "../db/list";
import { idForSlugOrId } from "../db/lookup";
import { BadInputError } from "../errors";
import { Publication } from "../publication/publication.entity";
import { Quote } from "../quote/quote.entity";
import { pageSize, toConnection } from "../relay/connection";
import { dateCursor } from "../relay/cursor";
import { checkTimeWindow } from "../relay/filters";
import { fromGlobalIdOfType } from "../relay/global-id";
import { PageArgs } from "../relay/pagination.args";
import { parseSearch } from "../search/query";
import { Speaker } from "../speaker/speaker.entity";
import { StoriesFilter, StoryConnection } from "./story.args";
import { Story, StoryImage } from "./story.entity";
import { STORIES, type StoryListFilter } from "./story.loaders";

export const storyEdge = (story: Story) => ({ cursor: dateCursor(story.publishedAt, story.id), node: story });

@Resolver(() => Story)
export class StoryResolver {
  @Query(() => Story, { nullable: true, description: "One story, by its id or its slug (give exactly one). Null when none matches." })
  async story(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { nullable: true, description: "Its global id." }) id?: string | null,
    @Arg("slug", () => String, { nullable: true, description: "Its slug." }) slug?: string | null,
  ): Promise<Story | null> {
    if ((id == null) === (slug == null)) throw new BadInputError("story needs exactly one of id or slug", { argument: "id" });
    if (id != null) return ctx.loaders.storyById.load(fromGlobalIdOfType(id, "Story"));
    return ctx.loaders.storyBySlug(slug!);
  }

  @Query(() => StoryConnection, { description: "Stories, newest first, optionally filtered." })
  async stories(
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => StoriesFilter, { nullable: true, description: "Conditions the stories must meet." }) filter?: StoriesFilter | null,
  ) {
    const limit = pageSize(page.first);
    checkTimeWindow(filter?.since, filter?.until);
    const narrowed: StoryListFilter = {};
    if (filter?.publication != null) {
      narrowed.publicationId = await idForSlugOrId(ctx.dataSource, Publication, "Publication", filter.publication, "publication");
    }
    if (filter?.speaker != null) narrowed.speakerId = await idForSlugOrId(ctx.dataSource, Speaker, "Speaker", filter.speaker, "speaker");
    if (filter?.section != null) narrowed.section = filter.section;
    if (filter?.topic != null) narrowed.topic = filter.topic;
    if (filter?.since != null) narrowed.since = filter.since;
    if (filter?.until != null) narrowed.until = filter.until;
    if (filter?.search != null) narrowed.search = parseSearch(filter.search);
    const rows = await ctx.loaders.storiesPage(limit + 1, page.after ?? null, narrowed);
    return toConnection(rows, limit, page.after, storyEdge, () => rootCount(ctx.reads, STORIES, narrowed));
  }

  @FieldResolver(() => Publication, { description: "The publication that ran the story." })
  async publication(@Root() story: Story, @Ctx() ctx: Context): Promise<Publication> {
    return (await ctx.loaders.publicationById.load(story.publicationId))!;
  }

  @FieldResolver(() => [Bullet], { description: "The story's bullet points (or paragraphs), in order." })
  bullets(@Root() story: Story, @Ctx() ctx: Context): Promise<Bullet[]> {
    return ctx.loaders.bulletsByStoryId.load(story.id);
  }

  @FieldResolver(() => [Quote], { description: "Every direct quote in the story, in reading order." })
  quotes(@Root() story: Story, @Ctx() ctx: Context): Promise<Quote[]> {
    return ctx.loaders.quotesByStoryId.load(story.id);
  }

  @FieldResolver(() => [Speaker], { description: "Everyone quoted in the story, in order of their first quote." })
  async speakers(@Root() story: Story, @Ctx() ctx: Context): Promise<Speaker[]> {
    const quotes = await ctx.loaders.quotesByStoryId.load(story.id);
    const ids = [...new Set(quotes.flatMap((quote) => (quote.speakerId === null ? [] : [quote.speakerId])))];
    const speakers = await ctx.loaders.speakerById.loadMany(ids);
    return speakers.filter((speaker): speaker is Speaker => speaker instanceof Speaker);
  }

  @FieldResolver(() => StoryImage, { nullable: true, description: "The lead photo with caption and credit; null when the story has none." })
  image(@Root() story: Story): StoryImage | null {
    if (story.imageUrl === null && story.imageCaption === null && story.imageCredit === null) return null;
    return { url: story.imageUrl, caption: story.imageCaption, credit: story.imageCredit };
  }

  @FieldResolver(() => [String], { description: 'Topic tags, e.g. "ukraine-war".' })
  topics(@Root() story: Story, @Ctx() ctx: Context): Promise<string[]> {
    return ctx.loaders.topicsByStoryId.load(story.id);
  }
}
