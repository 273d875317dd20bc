#!/usr/bin/env node
// `npm start`: the server as a plain node process, so SIGTERM and SIGINT reach its own
// handlers (a loader CLI in between, like tsx's, relays them and can end the app early).
// Runs the compiled dist/ when `npm run build` made one that is newer than the sources;
// otherwise registers tsx's require hook in this same process and runs the TypeScript.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..", "..");
const compiled = path.join(root, "dist", "src", "main.js");

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const sources = Math.max(
  newestSource(path.join(root, "src")),
  newestSource(path.join(root, "migrations")),
  fs.statSync(path.join(root, "ormconfig.ts")).mtimeMs,
);
if (fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= sources) {
  require(compiled);
} else {
  if (fs.existsSync(compiled))
    process.stderr.write("newsgate: dist/ is older than the sources; running the sources (npm run build to refresh dist/)\n");
  require("tsx/cjs");
  require(path.join(root, "src", "main.ts"));
}
