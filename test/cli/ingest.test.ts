import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { runCli } from "../helpers/cli";
import { articlePath } from "../helpers/fixtures";

describe("npm run ingest", () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-ingest-"));
    env = { DATABASE_PATH: path.join(dir, "db.sqlite") };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints a line per file and a summary; a second run matches instead of duplicating", async () => {
    const first = await runCli("src/cli/ingest.ts", [articlePath("01"), articlePath("12")], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^\[1\/2\] 01-veldoria-ceasefire-summit\.txt: new story "Veldoria war briefing: .*": 1 story, 8 bullets, 8 quotes, 5 speakers \(5 new, 0 matched\)$/,
    );
    expect(lines[1]).toMatch(
      /^\[2\/2\] 12-harbour-compact-guarantees\.txt: new story ".*": 1 story, \d+ bullets, \d+ quotes, \d+ speakers \(\d+ new, [1-9]\d* matched\)$/,
    );
    expect(lines[2]).toBe("2 file(s): 2 new, 0 updated, 0 failed");
    const second = await runCli("src/cli/ingest.ts", [articlePath("01")], env);
    expect(second.stdout).toMatch(
      /: updated story ".*": 1 story, 8 bullets, 8 quotes, 5 speakers \(0 new, 5 matched\)\n1 file\(s\): 0 new, 1 updated, 0 failed\n$/,
    );
  });

  it("reports a bad file in one line, stores the good ones, and exits 1", async () => {
    const notArticle = path.join(dir, "notes.txt");
    fs.writeFileSync(notArticle, "nothing to see\n");
    const result = await runCli("src/cli/ingest.ts", [notArticle, path.join(dir, "missing.txt"), articlePath("02")], env);
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n").filter(Boolean)).toEqual([
      "[1/3] notes.txt: not stored: the page has no headline after the publication, section and byline lines",
      "[2/3] missing.txt: cannot read " + path.join(dir, "missing.txt") + ": ENOENT",
    ]);
    expect(result.stdout).toMatch(/3 file\(s\): 1 new, 0 updated, 2 failed\n$/);
  });

  it("reads an HTML page by its content, whatever the file is called, and refuses a hostile one in one line", async () => {
    const page = path.join(dir, "saved-page.txt");
    fs.copyFileSync(path.join(__dirname, "..", "fixtures", "html", "ledger-harbour-compact.html"), page);
    const nested = path.join(dir, "nested.html");
    fs.writeFileSync(nested, `<html><body>${"<div>".repeat(100_000)}<p>Deep.</p>${"</div>".repeat(100_000)}</body></html>`);
    const result = await runCli("src/cli/ingest.ts", [page, nested], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      '[1/2] saved-page.txt: new story "Harbour Compact leaders agree ceasefire monitoring plan": 1 story, 5 bullets, 3 quotes, 2 speakers (2 new, 0 matched)\n' +
        "2 file(s): 1 new, 0 updated, 1 failed\n",
    );
    expect(result.stderr).toBe("[2/2] nested.html: not stored: the HTML page nests elements more than 400 deep\n");
    // --url is where the page came from: the canonical URL when the page names none.
    const bare = path.join(dir, "bare.html");
    fs.writeFileSync(
      bare,
      fs
        .readFileSync(page, "utf8")
        .replace(/<link rel="canonical"[^>]*>/, "")
        .replaceAll("Harbour Compact leaders agree", "Compact leaders agree"),
    );
    const withUrl = await runCli("src/cli/ingest.ts", [bare, "--url", "https://www.ledger.example/a/1"], env);
    expect([withUrl.code, withUrl.stderr]).toEqual([0, ""]);
    expect(withUrl.stdout).toMatch(/: new story "Compact leaders agree ceasefire monitoring plan"/);
    const again = await runCli("src/cli/ingest.ts", [bare, "--url", "https://www.ledger.example/a/1"], env);
    expect(again.stdout).toMatch(/: updated story "Compact leaders agree ceasefire monitoring plan"/);
    const badUrl = await runCli("src/cli/ingest.ts", [bare, "--url", "file:///etc/passwd"], env);
    expect([badUrl.code, badUrl.stderr]).toEqual([1, 'ingest: --url "file:///etc/passwd" is not an http(s) URL\n']);
  });

  it("explains its usage when given no files or a bad flag", async () => {
    const none = await runCli("src/cli/ingest.ts", [], env);
    expect([none.code, none.stderr]).toEqual([
      1,
      "ingest: usage: npm run ingest -- FILE... [--publication SLUG] [--published-at ISO-8601] [--canonical-url URL] [--url URL]\n",
    ]);
    const date = await runCli("src/cli/ingest.ts", [articlePath("01"), "--published-at", "someday"], env);
    expect([date.code, date.stderr]).toEqual([1, 'ingest: --published-at "someday" is not a date (use ISO 8601)\n']);
  });
});
