import { parseFeedDocument } from "../../src/ingestion/parse-feed";
import { refusedAddress, retryAfterSeconds } from "../../src/feed/safe-fetch";
import { loadConfig } from "../../src/config";
import { isHtml } from "../../src/feed/ingest-page";

describe("outbound address checks", () => {
  it("let only public unicast addresses through, however they are spelled", () => {
    const refused = [
      ["127.0.0.1", "loopback"],
      ["10.1.2.3", "private"],
      ["172.16.0.1", "private"],
      ["192.168.1.1", "private"],
      ["169.254.169.254", "linkLocal"],
      ["100.64.0.1", "carrierGradeNat"],
      ["0.0.0.0", "unspecified"],
      ["::1", "loopback"],
      ["fe80::1", "linkLocal"],
      ["fd00::1", "uniqueLocal"],
      ["::ffff:127.0.0.1", "loopback"],
      ["::ffff:10.0.0.1", "private"],
      ["64:ff9b::a00:1", "rfc6052"],
      ["2002:a00:1::", "6to4"],
    ];
    for (const [address, range] of refused) expect([address, refusedAddress(address)]).toEqual([address, `a ${range} address`]);
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"]) expect(refusedAddress(address)).toBeNull();
  });

  it("read Retry-After as seconds or as a date", () => {
    expect(retryAfterSeconds("120")).toBe(120);
    expect(retryAfterSeconds(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThanOrEqual(58);
    expect(retryAfterSeconds("soon")).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
  });

  it("tell an HTML page from a text capture by type, then by content", () => {
    expect(isHtml("text/html; charset=utf-8", "Guardian\nheadline")).toBe(true);
    expect(isHtml("text/plain", "<html>")).toBe(false);
    expect(isHtml("application/octet-stream", "\uFEFF  <!DOCTYPE html><html>")).toBe(true);
    expect(isHtml("", "The Guardian - UK\nWorld")).toBe(false);
  });
});

describe("parseFeedDocument", () => {
  it("reads RSS and Atom, resolving links against the feed and dropping items without an http(s) link", () => {
    const rss = parseFeedDocument(
      `<rss version="2.0"><channel><title>News</title>
        <item><title>A</title><link>/a#top</link><guid>g-a</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>
        <item><title>No link</title><guid>g-b</guid></item>
        <item><title>Script</title><link>javascript:alert(1)</link></item>
        <item><title>A again</title><link>/a2</link><guid>g-a</guid></item>
        <item><title>No guid</title><link>https://other.example/c</link></item>
      </channel></rss>`,
      "https://news.example/feed.xml",
    );
    expect(rss).toMatchObject({ title: "News", format: "rss" });
    expect(rss.entries.map((e) => [e.guid, e.url, e.publishedAt?.toISOString() ?? null])).toEqual([
      ["g-a", "https://news.example/a", "2026-11-02T10:00:00.000Z"],
      ["https://other.example/c", "https://other.example/c", null],
    ]);
    const atom = parseFeedDocument(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title><id>urn:f</id>
        <entry><title>E</title><id>urn:e:1</id><link rel="alternate" href="https://news.example/e1"/><updated>2026-11-02T10:00:00Z</updated></entry>
      </feed>`,
      "https://news.example/atom.xml",
    );
    expect(atom.format).toBe("atom");
    expect(atom.entries.map((e) => [e.guid, e.url])).toEqual([["urn:e:1", "https://news.example/e1"]]);
  });

  it("gives an item a new version when the feed says it changed", () => {
    const doc = (date: string) =>
      `<rss version="2.0"><channel><title>N</title><item><title>A</title><link>https://n.example/a</link><guid>a</guid><pubDate>${date}</pubDate></item></channel></rss>`;
    const [a1, a2, b] = ["Mon, 02 Nov 2026 10:00:00 GMT", "Mon, 02 Nov 2026 10:00:00 GMT", "Mon, 02 Nov 2026 11:00:00 GMT"].map(
      (date) => parseFeedDocument(doc(date), "https://n.example/").entries[0].version,
    );
    expect(a1).toBe(a2);
    expect(b).not.toBe(a1);
  });

  it("refuses what is not a feed, and does not expand entities", () => {
    expect(() => parseFeedDocument("<html><body><p>Hello</p></body></html>", "https://n.example/")).toThrow(/not an RSS or Atom feed/);
    expect(() => parseFeedDocument("garbage", "https://n.example/")).toThrow(/not an RSS or Atom feed/);
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
      '<rss version="2.0"><channel><title>T</title><item><title>&c;</title><link>https://n.example/x</link></item></channel></rss>';
    const parsed = parseFeedDocument(bomb, "https://n.example/");
    expect((parsed.entries[0].title ?? "").length).toBeLessThan(100);
  });
});

describe("FEED_* settings", () => {
  it("default to a polite poller, and refuse what would silently never match", () => {
    expect(loadConfig({ NODE_ENV: "production" }).feeds).toEqual({
      polling: true,
      pollIntervalSeconds: 300,
      leaseSeconds: 120,
      fetchTimeoutMs: 15_000,
      maxBytes: 5 * 1024 * 1024,
      maxRedirects: 5,
      allowHosts: [],
      userAgent: "Newsgate/0.1 (news feed poller)",
    });
    expect(loadConfig({ NODE_ENV: "test" }).feeds.polling).toBe(false);
    expect(loadConfig({ NODE_ENV: "test", FEED_ALLOW_HOSTS: "127.0.0.1, Feeds.Internal ,[::1]" }).feeds.allowHosts).toEqual([
      "127.0.0.1",
      "feeds.internal",
      "::1",
    ]);
    expect(() => loadConfig({ FEED_ALLOW_HOSTS: "http://127.0.0.1:8080" })).toThrow(
      'FEED_ALLOW_HOSTS must be a comma-separated list of host names or addresses like feeds.example.com, got "http://127.0.0.1:8080"',
    );
    expect(() => loadConfig({ FEED_POLL_INTERVAL: "0" })).toThrow('FEED_POLL_INTERVAL must be a whole number of at least 1, got "0"');
  });
});
