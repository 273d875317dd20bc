import fs from "node:fs";
import path from "node:path";

import { build } from "esbuild";

import { buildConsole } from "../console/build";
import { CONSOLE_BUILD_DIR, PLAYGROUND_BUILD_DIR, ROOT } from "../paths";

const SOURCES = path.join(ROOT, "src", "playground");
const ENTRY = path.join(SOURCES, "client.js");

/**
 * Bundles GraphiQL, React and our entry into one script and one stylesheet that Newsgate
 * serves itself: nothing is fetched from a CDN, so the playground works offline and under
 * a CSP that allows only this origin. Fonts and icons are inlined by GraphiQL's CSS.
 */
export async function buildPlayground(): Promise<{ files: string[] }> {
  await build({
    entryPoints: { graphiql: ENTRY },
    outdir: PLAYGROUND_BUILD_DIR,
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: ["chrome110", "firefox110", "safari16"],
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "linked",
    logLevel: "warning",
  });
  return { files: fs.readdirSync(PLAYGROUND_BUILD_DIR).sort() };
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Whether the bundle exists and is newer than its sources (the entry, its CSS, the installed graphiql). */
export function playgroundIsBuilt(): boolean {
  const bundle = path.join(PLAYGROUND_BUILD_DIR, "graphiql.js");
  if (!fs.existsSync(bundle) || !fs.existsSync(path.join(PLAYGROUND_BUILD_DIR, "graphiql.css"))) return false;
  const builtAt = fs.statSync(bundle).mtimeMs;
  const sources = [ENTRY, path.join(SOURCES, "playground.css"), path.join(ROOT, "node_modules", "graphiql", "package.json")];
  return sources.every((source) => !fs.existsSync(source) || fs.statSync(source).mtimeMs <= builtAt);
}

/** One line per bundle: its folder, build time and file sizes. */
async function timed(name: string, dir: string, run: () => Promise<{ files: string[] }>): Promise<string> {
  const started = performance.now();
  const { files } = await run();
  const sizes = files.map((file) => `${file} ${Math.round(fs.statSync(path.join(dir, file)).size / 1024)} kB`);
  return `${name}: built ${path.relative(process.cwd(), dir)} in ${Math.round(performance.now() - started)} ms (${sizes.join(", ")})\n`;
}

// The one build script for Newsgate's browser pages: the playground and the editors' console.
if (require.main === module) {
  // `prepare` passes --if-installed: an install without dev dependencies has no GraphiQL or
  // React to bundle, and must not fail because of it.
  if (process.argv.includes("--if-installed") && !(isInstalled("graphiql") && isInstalled("react-dom"))) {
    process.stdout.write("playground: graphiql/react are not installed (no dev dependencies); not building the playground and console\n");
    process.exit(0);
  }
  Promise.all([timed("playground", PLAYGROUND_BUILD_DIR, buildPlayground), timed("console", CONSOLE_BUILD_DIR, buildConsole)])
    .then((lines) => process.stdout.write(lines.join("")))
    .catch((error: unknown) => {
      process.stderr.write(`playground/console: build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
