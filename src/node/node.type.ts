import { Field, ID, InterfaceType } from "type-graphql";

import { type NodeTypeName, toGlobalId } from "../relay/global-id";

/**
 * Relay's object identification: every entity exposes an opaque, globally unique `id` and
 * can be fetched again with `node(id:)`. The database id stays private (no `@Field`).
 * Loaders hand out entity instances, so type-graphql resolves the concrete type with
 * `instanceof`, synchronously (a custom resolveType would be made async, which compiled
 * execution does not await).
 */
@InterfaceType("Node", {
  description: "An object with a globally unique, opaque id that `node(id:)` resolves.",
})
export abstract class Node {
  abstract id: number;

  @Field(() => ID, { name: "id", description: "Globally unique, opaque id of this object." })
  get globalId(): string {
    return toGlobalId(this.constructor.name as NodeTypeName, this.id);
  }
}
