import { ArgsType, Field, Int } from "type-graphql";

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "Page size: 1 to 100, default 20." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return items after this cursor (an `endCursor` or edge `cursor`)." })
  after?: string | null;
}
