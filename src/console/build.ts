import fs from "node:fs";
import path from "node:path";

import { CONSOLE_BUILD_DIR, ROOT } from "../paths";
const APP_DIR = path.join(ROOT, "src", "console", "app");
const ENTRY = path.join(APP_DIR, "main.jsx");

/**
 * Bundles the editors' console (React and our screens) into one script and one stylesheet
 * that Newsgate serves itself under a CSP allowing only this origin: no CDN, no web fonts,
 * so it works offline.
 */
export async function buildConsole(): Promise<{ files: string[] }> {
  // Loaded here, not at the top: the server imports this module for CONSOLE_BUILD_DIR, and an
  // install without dev dependencies has no esbuild.
  const { build } = await import("esbuild");
  await build({
    entryPoints: { console: ENTRY },
    outdir: CONSOLE_BUILD_DIR,
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: ["chrome110", "firefox110", "safari16"],
    jsx: "automatic",
    loader: { ".js": "jsx" },
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "linked",
    logLevel: "warning",
  });
  return { files: fs.readdirSync(CONSOLE_BUILD_DIR).sort() };
}

/** Whether the bundle exists and is newer than every file of the app and the installed React. */
export function consoleIsBuilt(): boolean {
  const bundle = path.join(CONSOLE_BUILD_DIR, "console.js");
  if (!fs.existsSync(bundle) || !fs.existsSync(path.join(CONSOLE_BUILD_DIR, "console.css"))) return false;
  const builtAt = fs.statSync(bundle).mtimeMs;
  const sources = [
    ...fs.readdirSync(APP_DIR).map((file) => path.join(APP_DIR, file)),
    path.join(ROOT, "node_modules", "react", "package.json"),
    path.join(ROOT, "node_modules", "react-dom", "package.json"),
  ];
  return sources.every((source) => !fs.existsSync(source) || fs.statSync(source).mtimeMs <= builtAt);
}
