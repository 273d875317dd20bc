import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { openDatabase } from "../../src/db/database";
import { Story } from "../../src/story/story.entity";
import { runCli } from "../helpers/cli";
import { makePublication } from "../helpers/factories";
import { FeedServer, haveSharedArticles } from "../helpers/feed-server";

if (!haveSharedArticles) {
  // eslint-disable-next-line no-console
  console.log("skipping the feeds CLI test: ../shared/articles is not there to build a feed from");
}

/** `npm run feeds -- …` against a database file, the way an operator runs it. */
(haveSharedArticles ? describe : describe.skip)("npm run feeds (src/cli/feeds.ts)", () => {
  let dir: string;
  let env: Record<string, string>;
  let publisher: FeedServer;
  const feeds = (...args: string[]) => runCli("src/cli/feeds.ts", args, env);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-feeds-"));
    env = { DATABASE_PATH: path.join(dir, "db.sqlite"), NODE_ENV: "development", LOAD_DEMO: "false", FEED_ALLOW_HOSTS: "127.0.0.1" };
    publisher = await new FeedServer().start();
    publisher.format = "html";
    publisher.setItems([{ article: "real-12" }, { article: "real-13" }]);
    const dataSource = await openDatabase({ databasePath: env.DATABASE_PATH });
    await makePublication(dataSource, { slug: "cli-news" });
    await dataSource.destroy();
  });
  afterAll(async () => {
    await publisher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("adds, lists, polls and removes a feed", async () => {
    const url = `${publisher.origin}/feeds/news.rss`;
    const added = await feeds("add", url, "--publication", "cli-news");
    expect([added.code, added.stderr]).toEqual([0, ""]);
    expect(added.stdout).toContain(`Added ${url} for cli-news`);
    expect((await feeds("list")).stdout).toMatch(new RegExp(`^${url}\\tcli-news\\tnever polled\\t0 ingested`, "m"));

    const polled = await feeds("poll");
    expect([polled.code, polled.stdout.trim()]).toEqual([0, `${url}: ok (2 new, 0 updated, 0 skipped, 0 failed)`]);
    const again = await feeds("poll", url);
    expect(again.stdout.trim()).toBe(`${url}: not_modified (0 new, 0 updated, 0 skipped, 0 failed)`);
    expect((await feeds("list")).stdout).toMatch(/\tpolled \S+ not_modified\t2 ingested\t/);

    const removed = await feeds("remove", url);
    expect([removed.code, removed.stdout.trim()]).toEqual([0, `Removed ${url}; the stories ingested from it stay.`]);
    expect((await feeds("list")).stdout.trim()).toBe("No feeds yet: npm run feeds -- add URL --publication SLUG");
    const dataSource = await openDatabase({ databasePath: env.DATABASE_PATH });
    expect(await dataSource.getRepository(Story).count()).toBe(2);
    await dataSource.destroy();
  }, 300_000);

  it("exits 1 with one line on bad input, a refused address or a failed poll", async () => {
    // Each run starts a process: a few representative mistakes.
    const cases: Array<[string[], RegExp]> = [
      [["frobnicate"], /^feeds: unknown command "frobnicate"/],
      [
        ["add", "ftp://example.com/feed.xml", "--publication", "cli-news"],
        /^feeds: "ftp:\/\/example.com\/feed.xml" is not an http\(s\) URL$/,
      ],
      [["add", "https://example.com/feed.xml", "--publication", "nope"], /^feeds: No publication has the slug "nope"$/],
      [["remove", "https://example.com/unknown.xml"], /^feeds: no feed is registered at https:\/\/example.com\/unknown.xml$/],
    ];
    const results: Awaited<ReturnType<typeof feeds>>[] = [];
    for (const [args] of cases) results.push(await feeds(...args));
    cases.forEach(([args, message], i) => {
      expect([args, results[i].code, results[i].stderr.trim().split("\n").length]).toEqual([args, 1, 1]);
      expect(results[i].stderr.trim()).toMatch(message);
    });
    const url = `${publisher.origin}/feeds/to-localhost.rss`;
    expect((await feeds("add", url, "--publication", "cli-news")).code).toBe(0);
    const refused = await feeds("poll", url);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/to-localhost\.rss: failed \(0 new.*\): localhost resolves to .*, a loopback address; not fetched/);
  }, 300_000);
});
