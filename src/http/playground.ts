import fs from "node:fs";
import { type IncomingMessage } from "node:http";
import path from "node:path";

import accepts from "accepts";
import express, { type RequestHandler, type Router } from "express";

import { fromRoot, PLAYGROUND_BUILD_DIR } from "../paths";

const OPERATIONS_DIR = fromRoot("schema", "operations");

/** Tabs in this order first (the README's), then any other operation by file name. */
const TAB_ORDER = ["story-page", "front-page", "speaker-quotes", "node-lookup", "search-speakers"];

/**
 * The page may load only what this server serves. GraphiQL's CSS inlines its fonts and
 * icons as data: URIs; editors set styles through the DOM (`element.style`), which CSP
 * allows, so no inline scripts or styles are needed.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export interface PlaygroundOperation {
  name: string;
  query: string;
}

/** The example operations in schema/operations/, read on each page load so edits show at once. */
export function readPlaygroundOperations(dir = OPERATIONS_DIR): PlaygroundOperation[] {
  const names = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".graphql"))
    .map((file) => file.replace(/\.graphql$/, ""));
  const rank = (name: string) => (TAB_ORDER.includes(name) ? TAB_ORDER.indexOf(name) : TAB_ORDER.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((name) => ({ name, query: fs.readFileSync(path.join(dir, `${name}.graphql`), "utf8") }));
}

/** JSON inside a <script> element: `<` escaped so no operation text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function page(endpoint: string): string {
  const settings = { endpoint, operations: readPlaygroundOperations() };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Newsgate playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/playground/graphiql.css">
</head>
<body>
<div id="graphiql">Loading the playground…</div>
<script id="newsgate-playground" type="application/json">${scriptJson(settings)}</script>
<script src="/playground/graphiql.js"></script>
</body>
</html>
`;
}

const NOT_BUILT = "The playground is not built: run `npm run playground:build` (npm install does it too).\n";

/** Browsers ask for text/html first; GraphQL clients (and curl) do not. */
function prefersHtml(req: IncomingMessage): boolean {
  return accepts(req).type(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
}

/**
 * GET /graphql from a browser (no `query`, HTML preferred): the playground page rather than
 * a GraphQL request. The server routes such a request to `playgroundRouter()`.
 */
export function playgroundRequest(req: IncomingMessage): boolean {
  return req.method === "GET" && !new URLSearchParams(req.url?.split("?")[1] ?? "").has("query") && prefersHtml(req);
}

/**
 * GET /playground, and GET /graphql from a browser: the self-hosted GraphiQL page, with the
 * example operations as tabs. Its script and stylesheet are served from the build folder.
 */
export function playgroundRouter(): Router {
  const router = express.Router();
  const servePage: RequestHandler = (_req, res) => {
    if (!fs.existsSync(path.join(PLAYGROUND_BUILD_DIR, "graphiql.js"))) {
      res.status(503).type("text/plain").send(NOT_BUILT);
      return;
    }
    res
      .set({
        "content-security-policy": PLAYGROUND_CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-cache",
      })
      .type("html")
      .send(page("/graphql"));
  };
  router.get("/graphql", (req, res, next) => (playgroundRequest(req) ? servePage(req, res, next) : next()));
  router.get("/playground", servePage);
  router.use("/playground", serveBundle(PLAYGROUND_BUILD_DIR));
  return router;
}

/** A built browser bundle's files. Not fingerprinted, so browsers revalidate (cheap: ETag) instead of keeping a stale bundle. */
export function serveBundle(dir: string): express.Handler {
  return express.static(dir, {
    index: false,
    cacheControl: false,
    setHeaders: (res) => {
      res.setHeader("cache-control", "no-cache");
      res.setHeader("x-content-type-options", "nosniff");
    },
  });
}
