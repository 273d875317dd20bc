import fs from "node:fs";
import path from "node:path";

export const OPERATIONS_DIR = path.join(__dirname, "..", "..", "schema", "operations");

/** The named example operations in schema/operations/, by file name without extension. */
export function readOperation(name: string): string {
  return fs.readFileSync(path.join(OPERATIONS_DIR, `${name}.graphql`), "utf8");
}

export function listOperations(): string[] {
  return fs
    .readdirSync(OPERATIONS_DIR)
    .filter((file) => file.endsWith(".graphql"))
    .map((file) => file.replace(/\.graphql$/, ""))
    .sort();
}
