import fs from "node:fs";
import path from "node:path";

import express, { type RequestHandler, type Router } from "express";

import { serveBundle } from "../http/playground";
import { CONSOLE_BUILD_DIR } from "../paths";

/**
 * The console may load only what this server serves and talk only to this server's
 * /graphql. React sets styles through the DOM (`element.style`), which CSP allows, and the
 * timeline chart is inline SVG in the DOM, so no inline scripts, styles or images are needed.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  // Screens are addressed by the URL hash, which never carries the key; no referrer leaves anyway.
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Newsgate console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/console.css">
</head>
<body>
<div id="console"><p class="boot">Loading the console…</p></div>
<script src="/console/console.js"></script>
</body>
</html>
`;

const NOT_BUILT = "The console is not built: run `npm run playground:build` (npm install does it too).\n";

/** GET /console: the editors' console page; its script and stylesheet come from the build folder. */
export function consoleRouter(): Router {
  const router = express.Router();
  const servePage: RequestHandler = (_req, res) => {
    if (!fs.existsSync(path.join(CONSOLE_BUILD_DIR, "console.js"))) {
      res.status(503).type("text/plain").send(NOT_BUILT);
      return;
    }
    res.set(HEADERS).type("html").send(PAGE);
  };
  router.get(["/console", "/console/"], servePage);
  router.use("/console", serveBundle(CONSOLE_BUILD_DIR));
  return router;
}
