import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";

import { type Context } from "../context";
import { Quote } from "../quote/quote.entity";
import { Story } from "../story/story.entity";
import { Bullet } from "./bullet.entity";

@Resolver(() => Bullet)
export class BulletResolver {
  @FieldResolver(() => Story, { description: "The story this bullet belongs to." })
  async story(@Root() bullet: Bullet, @Ctx() ctx: Context): Promise<Story> {
    return (await ctx.loaders.storyById.load(bullet.storyId))!;
  }

  @FieldResolver(() => [Quote], { description: "The quotes in this bullet, in reading order." })
  quotes(@Root() bullet: Bullet, @Ctx() ctx: Context): Promise<Quote[]> {
    return ctx.loaders.quotesByBulletId.load(bullet.id);
  }
}
