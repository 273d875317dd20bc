import fs from "node:fs";
import path from "node:path";

import { printSdl } from "../schema";
import { fromRoot } from "../paths";

/** Writes schema/schema.graphql; a test fails when the committed file differs from the code. */
export const SCHEMA_FILE = fromRoot("schema", "schema.graphql");

async function main(): Promise<void> {
  fs.writeFileSync(SCHEMA_FILE, await printSdl());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`schema:emit failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
