import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";

import { type Context, type Loaders } from "../context";
import { BadInputError } from "../errors";
import { MAX_PAGE_SIZE } from "../relay/connection";
import { fromGlobalId, type NodeTypeName } from "../relay/global-id";
import { Node } from "./node.type";

const loaderFor: Record<NodeTypeName, (loaders: Loaders, id: number) => Promise<Node | null>> = {
  Publication: (loaders, id) => loaders.publicationById.load(id),
  Story: (loaders, id) => loaders.storyById.load(id),
  Bullet: (loaders, id) => loaders.bulletById.load(id),
  Speaker: (loaders, id) => loaders.speakerById.load(id),
  Quote: (loaders, id) => loaders.quoteById.load(id),
  Correction: (loaders, id) => loaders.correctionById.load(id),
  Feed: (loaders, id) => loaders.feedById.load(id),
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: "Any object by its global id; null when nothing has that id." })
  node(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "A global id from any object's `id` field." }) id: string,
  ): Promise<Node | null> {
    const decoded = fromGlobalId(id);
    return loaderFor[decoded.type](ctx.loaders, decoded.id);
  }

  @Query(() => [Node], {
    nullable: "items",
    description: "Several objects by global id, in the order asked; null for ids that match nothing.",
  })
  nodes(@Ctx() ctx: Context, @Arg("ids", () => [ID], { description: "Up to 100 global ids." }) ids: string[]): Promise<Array<Node | null>> {
    if (ids.length > MAX_PAGE_SIZE)
      throw new BadInputError(`nodes takes at most ${MAX_PAGE_SIZE} ids, got ${ids.length}`, { argument: "ids" });
    const decoded = ids.map(fromGlobalId);
    return Promise.all(decoded.map((d) => loaderFor[d.type](ctx.loaders, d.id)));
  }
}
