import fs from "node:fs";
import path from "node:path";

/**
 * The project's root folder, the one holding package.json, whether this module runs from
 * src/ (tsx, jest) or compiled into dist/src/ (`npm start` after `npm run build`). Files read
 * at run time (schema, named operations, the demo content, the built playground) are found
 * from here, so the compiled server reads the same files as the sources.
 */
export const ROOT = findRoot(__dirname);

/** Where `npm run build` and `npm run schema:emit` put their outputs, and sources read as data. */
export const fromRoot = (...parts: string[]) => path.join(ROOT, ...parts);

/**
 * Where the browser bundles are built (git-ignored; rebuilt by `npm install` and before
 * tests). Here rather than beside their build scripts, so the server that serves them does
 * not load the bundler.
 */
export const PLAYGROUND_BUILD_DIR = fromRoot("build", "playground");
export const CONSOLE_BUILD_DIR = fromRoot("build", "console");

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    // dist/ has no package.json of its own, so the first one up is the project's.
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.join(start, "..");
  }
}
