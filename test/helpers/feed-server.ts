import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { type AddressInfo } from "node:net";
import path from "node:path";
import zlib from "node:zlib";

/** The published articles, read at run time only (never copied into the repository). */
export const SHARED_ARTICLES = path.join(__dirname, "..", "..", "..", "shared", "articles");
export const haveSharedArticles = fs.existsSync(path.join(SHARED_ARTICLES, "html")) && fs.existsSync(path.join(SHARED_ARTICLES, "real"));

export type PageFormat = "html" | "text";

/** The article page `real-NN` as its publisher serves it (HTML) or as the aggregator captured it (text). */
export function articlePage(id: string, format: PageFormat): string {
  return format === "html"
    ? fs.readFileSync(path.join(SHARED_ARTICLES, "html", `${id}.html`), "utf8")
    : fs.readFileSync(path.join(SHARED_ARTICLES, "real", `${id}.txt`), "utf8");
}

export interface FeedItemSpec {
  /** An article id such as "real-01"; its page is served at /pages/real-01. */
  article: string;
  title?: string;
  /** Changing it tells pollers the item was updated. */
  updated?: string;
}

/**
 * A publisher on 127.0.0.1: feeds whose items the test changes between polls, the article
 * pages they link to, and misbehaving endpoints. Counts every request by path.
 */
export class FeedServer {
  readonly hits = new Map<string, number>();
  readonly conditional: Array<{ path: string; ifNoneMatch?: string; ifModifiedSince?: string; userAgent?: string }> = [];
  /** RSS at /feeds/news.rss (ETag validators) and Atom at /feeds/news.atom (Last-Modified validators). */
  items: FeedItemSpec[] = [];
  /** Pages served with 503 + Retry-After instead of the article. */
  readonly busyPages = new Set<string>();
  format: PageFormat = "text";
  /** Changes whenever `items` changes, as a Last-Modified date. */
  lastModified = new Date("2026-11-01T10:00:00Z");
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly held = new Set<http.ServerResponse>();
  origin = "";

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  hitCount(pathname: string): number {
    return this.hits.get(pathname) ?? 0;
  }

  setItems(items: FeedItemSpec[]): void {
    this.items = items;
    this.lastModified = new Date(this.lastModified.getTime() + 60_000);
  }

  rss(): string {
    const items = this.items
      .map(
        (item) =>
          `<item><title>${item.title ?? item.article}</title><link>${this.origin}/pages/${item.article}</link>` +
          `<guid isPermaLink="false">urn:test:${item.article}</guid><pubDate>${new Date(item.updated ?? "2026-11-01T09:00:00Z").toUTCString()}</pubDate></item>`,
      )
      .join("");
    return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test news</title><link>${this.origin}/</link>${items}</channel></rss>`;
  }

  atom(): string {
    const entries = this.items
      .map(
        (item) =>
          `<entry><title>${item.title ?? item.article}</title><id>urn:test:${item.article}</id>` +
          `<link rel="alternate" href="/pages/${item.article}"/><updated>${item.updated ?? "2026-11-01T09:00:00Z"}</updated></entry>`,
      )
      .join("");
    return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Test news</title><id>urn:test:feed</id><updated>${this.lastModified.toISOString()}</updated>${entries}</feed>`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", this.origin);
    const pathname = url.pathname;
    this.hits.set(pathname, this.hitCount(pathname) + 1);
    if (pathname.startsWith("/feeds/")) {
      this.conditional.push({
        path: pathname,
        ifNoneMatch: req.headers["if-none-match"],
        ifModifiedSince: req.headers["if-modified-since"],
        userAgent: req.headers["user-agent"],
      });
    }
    switch (pathname) {
      case "/feeds/news.rss": {
        const body = this.rss();
        const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
        if (req.headers["if-none-match"] === etag) return void res.writeHead(304, { etag }).end();
        return void res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag }).end(body);
      }
      case "/feeds/news.atom": {
        const modified = this.lastModified.toUTCString();
        if (req.headers["if-modified-since"] === modified) return void res.writeHead(304, { "last-modified": modified }).end();
        return void res.writeHead(200, { "content-type": "application/atom+xml", "last-modified": modified }).end(this.atom());
      }
      case "/feeds/slow.rss":
        // Headers and body never come: the poller's timeout must end it.
        this.held.add(res);
        return;
      case "/feeds/busy.rss":
        return void res.writeHead(503, { "retry-after": "600" }).end("busy");
      case "/feeds/to-localhost.rss":
        return void res.writeHead(302, { location: `http://localhost:${new URL(this.origin).port}/feeds/news.rss` }).end();
      case "/feeds/to-metadata.rss":
        return void res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      case "/feeds/loop.rss":
        return void res.writeHead(302, { location: "/feeds/loop.rss" }).end();
      case "/feeds/huge.rss":
        res.writeHead(200, { "content-type": "application/rss+xml" });
        return void res.end(`<rss version="2.0"><channel><title>${"x".repeat(3 * 1024 * 1024)}</title></channel></rss>`);
      case "/feeds/gzip-bomb.rss":
        // A few kilobytes on the wire, megabytes once decompressed.
        res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" });
        return void res.end(zlib.gzipSync(Buffer.alloc(3 * 1024 * 1024, 32)));
      case "/feeds/news-gzip.rss":
        res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" });
        return void res.end(zlib.gzipSync(this.rss()));
      case "/feeds/not-a-feed.rss":
        return void res.writeHead(200, { "content-type": "text/html" }).end("<html><body><p>Hello</p></body></html>");
    }
    const page = /^\/pages\/(real-\d\d)$/.exec(pathname);
    if (page) {
      if (this.busyPages.has(page[1])) return void res.writeHead(429, { "retry-after": "900" }).end("slow down");
      const type = this.format === "html" ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
      return void res.writeHead(200, { "content-type": type }).end(articlePage(page[1], this.format));
    }
    res.writeHead(404).end("not found");
  }
}
