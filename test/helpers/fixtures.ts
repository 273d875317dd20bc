import fs from "node:fs";
import path from "node:path";

/** The labelled article pages in test/fixtures/articles/. */
export const FIXTURES = path.join(__dirname, "..", "fixtures", "articles");

/** The path of the article whose file name starts with `prefix` ("01", "12", …). */
export function articlePath(prefix: string): string {
  const file = fs.readdirSync(FIXTURES).find((name) => name.startsWith(prefix) && name.endsWith(".txt"));
  if (!file) throw new Error(`no fixture article starts with "${prefix}"`);
  return path.join(FIXTURES, file);
}

/** The text of the article whose file name starts with `prefix`. */
export function article(prefix: string): string {
  return fs.readFileSync(articlePath(prefix), "utf8");
}
