import "reflect-metadata";

import { graphql } from "graphql";
import { Authorized, buildSchema, Field, getMetadataStorage, ObjectType, Query, Resolver } from "type-graphql";

import { readPlainFieldsDirectly } from "../src/schema";

// Declared here only: this file's module registry (and type-graphql's metadata) is its own.
@ObjectType({ description: "A type with one open and one guarded plain field." })
class Guarded {
  @Field({ description: "Anyone may read it." })
  open!: string;

  @Authorized("admin")
  @Field({ description: "Only an admin may read it." })
  secret!: string;
}

@Resolver()
class GuardedResolver {
  @Query(() => Guarded, { description: "One of them." })
  guarded(): Guarded {
    return Object.assign(new Guarded(), { open: "o", secret: "s" });
  }
}

describe("readPlainFieldsDirectly", () => {
  it("lets plain fields be read directly, but a plain field under @Authorized keeps its check", async () => {
    readPlainFieldsDirectly();
    const fields = getMetadataStorage().fields.filter((field) => field.target === Guarded);
    expect(Object.fromEntries(fields.map((field) => [field.name, field.simple]))).toEqual({ open: true, secret: false });

    const schema = await buildSchema({ resolvers: [GuardedResolver], authChecker: () => false, validate: false });
    const result = await graphql({ schema, source: "{ guarded { open secret } }", contextValue: {} });
    expect(result.errors?.map((error) => [error.path?.join("."), error.message])).toEqual([
      ["guarded.secret", "Access denied! You don't have permission for this action!"],
    ]);
  });
});
