import fs from "node:fs";

import { buildSchema, isObjectType, isInputObjectType, isInterfaceType, isEnumType } from "graphql";

import { SCHEMA_FILE } from "../src/cli/emit-schema";
import { printSdl } from "../src/schema";

describe("schema/schema.graphql", () => {
  it("matches what the code emits (run `npm run schema:emit` after changing the API)", async () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(await printSdl());
  });

  it("describes every type, field, argument and enum value", () => {
    const schema = buildSchema(fs.readFileSync(SCHEMA_FILE, "utf8"));
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        type.name.startsWith("__") ||
        ["String", "Int", "Boolean", "ID", "Float", "Query", "Mutation", "Subscription"].includes(type.name)
      )
        continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        if (!field.description) missing.push(`${root!.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) missing.push(`${root!.name}.${field.name}(${arg.name})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
