import fs from "node:fs";
import path from "node:path";

import { type Browser, type BrowserContext, type Page } from "playwright-core";

import { buildConsole, consoleIsBuilt } from "../../src/console/build";
import { startHttpServer, type HttpServer } from "../helpers/http-server";
import { describeWithChromium, launchChromium } from "../playground/chromium";

/** Pages written for these tests (a fictional town), ingested like any article page. */
const PAGES = path.join(__dirname, "pages");
const PUBLISHED = ["2026-03-02T09:00:00Z", "2026-03-20T09:00:00Z", "2026-04-10T09:00:00Z", "2026-04-24T09:00:00Z"];
/** For a person to look at after a run; git-ignored. */
const SCREENSHOTS = path.join(__dirname, "..", "..", "test-results", "console");

const INGEST = `mutation Ingest($input: IngestArticleInput!) { ingestArticle(input: $input) { story { id headline } } }`;
const QUOTES = `query Quotes { quotes(first: 100) { edges { node { id text reviewState speaker { id name } story { id } } } } }`;
const QUEUE = `query Queue($filter: ReviewQueueFilter) {
  reviewQueue(filter: $filter, first: 100) { totalCount edges { node { id text attributionConfidence } } }
}`;

beforeAll(async () => {
  if (!consoleIsBuilt()) await buildConsole();
}, 60_000);

describe("the console page", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer();
  });
  afterAll(() => api.close());

  it("is served at /console under a strict CSP, with its script and stylesheet from this server", async () => {
    const page = await api.request({ path: "/console", headers: { accept: "text/html" } });
    expect([page.status, page.headers.get("content-type"), page.headers.get("content-security-policy")]).toEqual([
      200,
      "text/html; charset=utf-8",
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ]);
    expect(page.text).toContain('<script src="/console/console.js"></script>');
    expect(page.text).not.toMatch(/https?:\/\//);
    const script = await api.request({ path: "/console/console.js" });
    const style = await api.request({ path: "/console/console.css" });
    expect([script.status, script.headers.get("content-type"), style.status, style.headers.get("content-type")]).toEqual([
      200,
      "text/javascript; charset=utf-8",
      200,
      "text/css; charset=utf-8",
    ]);
    // The bundle names no other origin to load from (React's error links are text, not requests).
    expect(script.text).not.toMatch(/fetch\(["'`]https?:/);
  });
});

describeWithChromium("the console in headless Chromium", () => {
  let api: HttpServer;
  let browser: Browser;
  let editorKey: string;
  let readerKey: string;
  const requested: string[] = [];
  const posted: string[] = [];
  const problems: string[] = [];
  const stories: Record<string, string> = {};

  const quotes = async (): Promise<any[]> => (await api.gql(QUOTES, { key: editorKey })).body.data.quotes.edges.map((e: any) => e.node);
  /** A quote by its first words (and its story, when the same words were reported twice). */
  const quoteByText = async (text: string, story?: string) =>
    (await quotes()).find((quote) => quote.text.startsWith(text) && (!story || quote.story.id === story))!;
  const speakerId = async (name: string): Promise<string> =>
    (
      await api.gql(`query($s: String!) { speakers(search: $s) { edges { node { id name } } } }`, {
        variables: { s: name },
        key: editorKey,
      })
    ).body.data.speakers.edges.find((edge: any) => edge.node.name === name).node.id;

  async function openConsole(key: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("request", (request) => {
      requested.push(request.url());
      if (request.method() === "POST") posted.push(request.postData() ?? "");
    });
    page.on("console", (message) => {
      if (message.type() === "error" || /Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`${api.origin}/console`);
    await page.fill('input[type="password"]', key);
    await page.keyboard.press("Enter");
    await page.waitForSelector(".topbar");
    return { context, page };
  }

  const screenshot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
  const selectedId = (page: Page) => page.getAttribute('li.queue-row[aria-current="true"]', "data-quote-id");

  /**
   * Moves the queue's selection to a quote with j/k only, as an editor would: one key at a
   * time, looking at the list again after each, since the queue refreshes itself after a
   * correction and a refresh landing between keys moves the rows under the selection.
   */
  async function moveTo(page: Page, quoteId: string): Promise<void> {
    for (let step = 0; step < 50; step++) {
      const ids = await page.$$eval("li.queue-row", (rows) => rows.map((row) => row.getAttribute("data-quote-id")));
      const current = await selectedId(page);
      const from = ids.indexOf(current);
      const to = ids.indexOf(quoteId);
      expect(to).toBeGreaterThanOrEqual(0);
      if (from === to) break;
      await page.keyboard.press(to > from ? "j" : "k");
      await page
        .waitForFunction(
          (previous) =>
            (globalThis as any).document.querySelector('li.queue-row[aria-current="true"]')?.getAttribute("data-quote-id") !== previous,
          current,
          { timeout: 2000 },
        )
        .catch(() => undefined);
    }
    expect(await selectedId(page)).toBe(quoteId);
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    api = await startHttpServer();
    editorKey = await api.key("console-editor", "editor");
    readerKey = await api.key("console-reader", "reader");
    const files = fs.readdirSync(PAGES).sort();
    for (const [index, file] of files.entries()) {
      const { body } = await api.gql(INGEST, {
        key: editorKey,
        variables: {
          input: {
            text: fs.readFileSync(path.join(PAGES, file), "utf8"),
            publishedAt: PUBLISHED[index],
            canonicalUrl: `https://marrowby.example/${file.replace(/\.txt$/, "")}`,
          },
        },
      });
      stories[file.slice(0, 2)] = body.data.ingestArticle.story.id;
    }
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  let editor: Page;

  it("asks for the key once, keeps it in session storage only, and opens on the queue, least confident first", async () => {
    ({ page: editor } = await openConsole(editorKey));
    await editor.waitForSelector("li.queue-row");
    expect(await editor.textContent(".who")).toContain("console-editor");
    const queue = (await api.gql(QUEUE, { key: editorKey })).body.data.reviewQueue;
    const shown = await editor.$$eval("li.queue-row", (rows) => rows.map((row) => row.getAttribute("data-quote-id")));
    expect(shown).toEqual(queue.edges.slice(0, 10).map((edge: any) => edge.node.id));
    expect(queue.edges[0].node.attributionConfidence).toBeLessThanOrEqual(queue.edges[9].node.attributionConfidence);
    // Each row marks its quote inside the bullet.
    expect(await editor.textContent('li.queue-row[aria-current="true"] mark')).toBe(queue.edges[0].node.text);
    expect(await editor.textContent(".count")).toBe(`1–10 of ${queue.totalCount} unreviewed quotes`);

    // The count and the rows render separately: wait for the rows themselves, so a slow machine
    // never reads the previous page's rows under the new page's count.
    const rowsAre = (ids: string[]) =>
      editor.waitForFunction(
        (expected) =>
          JSON.stringify(
            [...(globalThis as any).document.querySelectorAll("li.queue-row")].map((row: any) => row.getAttribute("data-quote-id")),
          ) === JSON.stringify(expected),
        ids,
      );
    await editor.keyboard.press("]");
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".count")?.textContent.startsWith("11–"));
    await rowsAre(queue.edges.slice(10, 20).map((edge: any) => edge.node.id));
    expect(await editor.$$eval("li.queue-row", (rows) => rows.map((row) => row.getAttribute("data-quote-id")))).toEqual(
      queue.edges.slice(10, 20).map((edge: any) => edge.node.id),
    );
    await editor.keyboard.press("[");
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".count")?.textContent.startsWith("1–10"));
    await rowsAre(queue.edges.slice(0, 10).map((edge: any) => edge.node.id));

    const storage = await editor.evaluate(() => ({
      session: (globalThis as any).sessionStorage.getItem("newsgate-console-key"),
      local: (globalThis as any).localStorage.length,
      url: (globalThis as any).location.href,
    }));
    expect(storage).toEqual({ session: editorKey, local: 0, url: expect.not.stringContaining(editorKey) });
    await screenshot(editor, "queue");
  }, 60_000);

  it("reassigns quotes, marks one as having no speaker and confirms one, with the keyboard only", async () => {
    const unattributed = await quoteByText("worse than any model predicted", stories["01"]);
    const misattributed = await quoteByText("a full account of every pound spent");
    const anonymous = await quoteByText("Nobody in this town");
    const correct = await quoteByText("We hear them and we will act");
    expect([unattributed.speaker, misattributed.speaker.name, anonymous.speaker, correct.speaker.name]).toEqual([
      null,
      "Tomas Reyne",
      null,
      "Petra Lindqvist",
    ]);

    await moveTo(editor, unattributed.id);
    await editor.keyboard.press("r");
    await editor.keyboard.type("Quell");
    await editor.waitForSelector('[role="option"][aria-selected="true"]:has-text("Marta Quell")');
    await editor.keyboard.press("Enter");
    await editor.waitForFunction(
      (id) => (globalThis as any).document.querySelector(`li.queue-row[data-quote-id="${id}"] .badge`)?.textContent === "Corrected",
      unattributed.id,
    );
    expect(await editor.textContent(`li.queue-row[data-quote-id="${unattributed.id}"] .speaker-cell`)).toBe("Marta Quell");

    // "Lindq" would also offer the misspelt "Petra Lindquist": the type-ahead narrows as the editor types.
    await moveTo(editor, misattributed.id);
    await editor.keyboard.press("r");
    await editor.keyboard.type("Lindqv");
    await editor.waitForSelector('[role="option"][aria-selected="true"]:has-text("Petra Lindqvist")');
    expect(await editor.$$eval('[role="option"]', (options) => options.length)).toBe(1);
    await screenshot(editor, "queue-reassign", false);
    await editor.keyboard.press("Enter");
    await editor.waitForFunction(
      (id) => (globalThis as any).document.querySelector(`li.queue-row[data-quote-id="${id}"] .badge`)?.textContent === "Corrected",
      misattributed.id,
    );

    await moveTo(editor, anonymous.id);
    await editor.keyboard.press("x");
    await editor.waitForFunction(
      (id) => (globalThis as any).document.querySelector(`li.queue-row[data-quote-id="${id}"] .badge`)?.textContent === "Corrected",
      anonymous.id,
    );

    await moveTo(editor, correct.id);
    await editor.keyboard.press("c");
    await editor.waitForFunction(
      (id) => (globalThis as any).document.querySelector(`li.queue-row[data-quote-id="${id}"] .badge`)?.textContent === "Confirmed",
      correct.id,
    );
    // The selection moves on to the next quote after each action.
    expect(await selectedId(editor)).not.toBe(correct.id);
    await screenshot(editor, "queue-reviewed");

    const after = new Map((await quotes()).map((quote) => [quote.id, quote]));
    expect(
      [unattributed, misattributed, anonymous, correct].map((quote) => [
        after.get(quote.id).reviewState,
        after.get(quote.id).speaker?.name ?? null,
      ]),
    ).toEqual([
      ["CORRECTED", "Marta Quell"],
      ["CORRECTED", "Petra Lindqvist"],
      ["CORRECTED", null],
      ["CONFIRMED", "Petra Lindqvist"],
    ]);
  }, 60_000);

  it("filters the queue by publication and creates a new speaker from a quote", async () => {
    const contractor = await quoteByText("confident of finishing on time");
    expect(contractor.speaker.name).toBe("contractor");
    await editor.selectOption('.filters label:has-text("Publication") select', { label: "Harbour Evening Post - UK" });
    const publications = (await api.gql(`{ publications { edges { node { slug name } } } }`)).body.data.publications.edges;
    const post = publications.find((edge: any) => edge.node.name === "Harbour Evening Post - UK").node.slug;
    const filtered = (await api.gql(QUEUE, { key: editorKey, variables: { filter: { publication: post } } })).body.data.reviewQueue;
    await editor.waitForFunction(
      (total) => (globalThis as any).document.querySelector(".count")?.textContent.endsWith(`of ${total} unreviewed quotes`),
      filtered.totalCount,
    );
    // Nothing from the other publication is listed.
    expect(
      await editor.$$eval(".queue-row .meta", (metas) => metas.every((meta) => meta.textContent!.includes("Harbour Evening Post"))),
    ).toBe(true);
    // Selecting the filter left the focus in the select; the editor tabs back to the list.
    await editor.focus('li.queue-row[aria-current="true"]');
    await moveTo(editor, contractor.id);
    await editor.keyboard.press("n");
    await editor.keyboard.type("Harbour Works Ltd");
    await editor.selectOption(".inline-form select", "ORGANISATION");
    await editor.focus(".inline-form input");
    await editor.keyboard.press("Enter");
    await editor.waitForFunction(
      (id) =>
        (globalThis as any).document.querySelector(`li.queue-row[data-quote-id="${id}"] .speaker-cell`)?.textContent ===
        "Harbour Works Ltd",
      contractor.id,
    );
    const { body } = await api.gql(`query($id: ID!) { node(id: $id) { ... on Quote { reviewState speaker { name kind } } } }`, {
      key: editorKey,
      variables: { id: contractor.id },
    });
    expect(body.data.node).toEqual({ reviewState: "CORRECTED", speaker: { name: "Harbour Works Ltd", kind: "ORGANISATION" } });
  }, 60_000);

  it("shows a speaker's roles, timeline and quotes, and merges a misspelt duplicate into it after a preview", async () => {
    const lindqvist = await speakerId("Petra Lindqvist");
    await editor.goto(`${api.origin}/console#/speaker/${lindqvist}`);
    await editor.waitForSelector(".speaker-page h1");
    expect(await editor.textContent(".speaker-page h1")).toBe("Petra Lindqvist");
    // The page shows the role history the API holds (what the parser found is the parser's tests' business).
    const { body: held } = await api.gql(`query($id: ID!) { node(id: $id) { ... on Speaker { roles { role } } } }`, {
      key: editorKey,
      variables: { id: lindqvist },
    });
    const roles = (held.data.node.roles as Array<{ role: string }>).map((r) => r.role);
    expect(roles.length).toBeGreaterThan(0);
    const shown = await editor.textContent(".roles");
    for (const role of roles) expect(shown).toContain(role);

    // Monthly: March (two stories) and April (one); the bars and the table say the same.
    const bars = await editor.$$eval("svg.chart rect.bar", (rects) => rects.map((rect) => rect.getAttribute("aria-label")));
    expect(bars).toEqual(["March 2026: 4 quotes in 2 stories", "April 2026: 2 quotes in 1 story"]);
    expect(
      await editor.$$eval(".chart-table tbody tr", (rows) =>
        rows.map((row) => [...row.children].map((cell) => cell.textContent).join(" ")),
      ),
    ).toEqual(["March 2026 4 2", "April 2026 2 1"]);
    expect(await editor.textContent("svg.chart desc")).toContain("6 quotes in 2 months with quotes");
    await editor.click('svg.chart rect.bar[aria-label^="April"]');
    await editor.waitForFunction(() => (globalThis as any).document.querySelector("#quotes-title")?.textContent === "Quotes: April 2026");
    await editor.waitForFunction(() => (globalThis as any).document.querySelectorAll(".quote-list li").length === 2);
    expect(await editor.$$eval(".quote-list mark", (marks) => marks.map((mark) => mark.textContent).sort())).toEqual([
      "We hear them and we will act,",
      "on the table",
    ]);
    await editor.click('.segmented button:has-text("Week")');
    await editor.waitForFunction(() => (globalThis as any).document.querySelectorAll("svg.chart rect.bar").length === 3);
    await editor.click('.segmented button:has-text("Month")');

    await editor.click('button:has-text("Choose a speaker to merge")');
    await editor.keyboard.type("Lindquist");
    await editor.waitForSelector('[role="option"][aria-selected="true"]:has-text("Petra Lindquist")');
    await editor.keyboard.press("Enter");
    await editor.waitForSelector('[data-testid="merge-preview"]');
    const preview = await editor.textContent('[data-testid="merge-preview"]');
    expect(preview).toContain("Merging Petra Lindquist into Petra Lindqvist moves:");
    expect(preview).toContain("1 quote");
    expect(preview).toContain("Lindquist");
    await screenshot(editor, "speaker-merge-preview");
    await editor.click('button:has-text("Merge Petra Lindquist into Petra Lindqvist")');
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".speaker-page .lede")?.textContent.includes("7 quotes"));
    expect(await editor.$$eval("svg.chart rect.bar", (rects) => rects.map((rect) => rect.getAttribute("aria-label")))).toEqual([
      "March 2026: 4 quotes in 2 stories",
      "April 2026: 3 quotes in 2 stories",
    ]);
    expect(await editor.textContent(".speaker-page")).toContain("Petra Lindquist");
    await screenshot(editor, "speaker");

    // The parser took "reporters" for Tomas Reyne's role; the editor sets the right one.
    await editor.goto(`${api.origin}/console#/speaker/${await speakerId("Tomas Reyne")}`);
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".speaker-page h1")?.textContent === "Tomas Reyne");
    await editor.fill('.inline-form:has(button:has-text("Set role")) input', "baker");
    await editor.click('button:has-text("Set role")');
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".speaker-page .lede")?.textContent.startsWith("baker"));
  }, 60_000);

  it("shows a story's bullets with each quote marked and linked to its speaker, as corrected; links and unlinks a related story", async () => {
    await editor.goto(`${api.origin}/console#/story/${stories["01"]}`);
    await editor.waitForSelector(".story-page h1");
    expect(await editor.textContent(".story-page h1")).toBe("Marrowby flood barrier delayed again as costs rise");
    const marks = await editor.$$eval("ol.bullets > li", (items) =>
      items.map((item) => [item.querySelector("mark")?.textContent ?? null, item.querySelector(".attribution")?.textContent ?? null]),
    );
    expect(marks).toEqual(
      expect.arrayContaining([
        ["worse than any model predicted", "Marta QuellCorrected"],
        ["a full account of every pound spent", "Petra LindqvistCorrected"],
        ["Nobody in this town trusts a deadline any more,", "no identifiable speakerCorrected"],
      ]),
    );
    await editor.click('ol.bullets a:has-text("Marta Quell")');
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".speaker-page h1")?.textContent === "Marta Quell");
    // The reassigned quote repeats her words in the other paper: listed once as a statement, with its report count.
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".count")?.textContent === "3 quotes");
    await editor.check('label:has-text("Each statement once") input');
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".count")?.textContent === "2 statements");
    expect(
      await editor.$$eval(".quote-list li", (items) =>
        items.map((item) => [item.querySelector("mark")!.textContent, item.querySelector(".badge")?.textContent ?? null]),
      ),
    ).toEqual([
      ["sound, and ahead of the revised plan", null],
      ["worse than any model predicted", "reported 2 times"],
    ]);
    await editor.goBack();
    await editor.waitForSelector(".story-page h1");
    const relatedHeadlines = () => editor.$$eval(".related li a", (links) => links.map((link) => link.textContent));
    expect(await relatedHeadlines()).toEqual(
      expect.arrayContaining([
        "Marrowby barrier: engineers warn of a second delay",
        "Quay traders demand compensation over Marrowby barrier delay",
      ]),
    );
    const fund = "Marrowby hardship fund for quay traders to open this month";
    expect(await relatedHeadlines()).not.toContain(fund);
    await editor.fill('.link-story input[type="search"]', "hardship fund");
    await editor.click(`.results li:has-text("${fund}") button:has-text("Link")`);
    await editor.waitForSelector(`.related li:has-text("${fund}") .badge:has-text("Editorial")`);
    await screenshot(editor, "story");
    await editor.click(`.related li:has-text("${fund}") button:has-text("Unlink")`);
    await editor.waitForFunction(
      (headline) => !(globalThis as any).document.querySelector(".related")?.textContent.includes(headline),
      fund,
    );
    await screenshot(editor, "story");
  }, 60_000);

  it("lists every correction with its actor, before and after, filterable by kind, target type and actor", async () => {
    await editor.click('nav a:has-text("Corrections log")');
    await editor.waitForSelector("table.log tbody tr");
    const kinds = await editor.$$eval("table.log tbody tr", (rows) => rows.map((row) => row.getAttribute("data-kind")));
    expect([...kinds].sort()).toEqual(
      // Creating a speaker from a quote is recorded as the new speaker, then the reassignment.
      [
        "CLEAR_QUOTE_SPEAKER",
        "CONFIRM_QUOTE",
        "CREATE_SPEAKER",
        "LINK_STORIES",
        "MERGE_SPEAKERS",
        "SET_QUOTE_SPEAKER",
        "SET_QUOTE_SPEAKER",
        "SET_QUOTE_SPEAKER",
        "SET_SPEAKER_ROLE",
        "UNLINK_STORIES",
      ].sort(),
    );
    expect(
      await editor.$$eval("table.log tbody tr td:nth-child(3)", (cells) => [...new Set(cells.map((cell) => cell.textContent))]),
    ).toEqual(["console-editor"]);
    await screenshot(editor, "corrections");
    await editor.selectOption('.filters label:has-text("Kind") select', "MERGE_SPEAKERS");
    await editor.waitForFunction(() => (globalThis as any).document.querySelectorAll("table.log tbody tr").length === 1);
    const merge = await editor.textContent("table.log tbody tr");
    expect(merge).toContain("Petra Lindquist");
    expect(merge).toContain("quotesMoved");

    await editor.selectOption('.filters label:has-text("Kind") select', "");
    await editor.selectOption('.filters label:has-text("Target") select', "Speaker");
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".count")?.textContent === "3 corrections");
    expect((await editor.$$eval("table.log tbody tr", (rows) => rows.map((row) => row.getAttribute("data-kind")))).sort()).toEqual([
      "CREATE_SPEAKER",
      "MERGE_SPEAKERS",
      "SET_SPEAKER_ROLE",
    ]);
    await editor.fill('.filters label:has-text("Actor") input', "someone-else");
    await editor.waitForFunction(() => (globalThis as any).document.querySelector(".count")?.textContent === "0 corrections");
  }, 60_000);

  it("lets a reader key browse, with every write button disabled and the reason shown", async () => {
    const { page: reader, context } = await openConsole(readerKey);
    try {
      await reader.waitForSelector("li.queue-row");
      expect(await reader.textContent('[data-testid="read-only-reason"]')).toContain("console-reader");
      const buttons = await reader.$$eval('li.queue-row[aria-current="true"] .row-actions button', (list) =>
        list.map((button) => [button.textContent, (button as any).disabled]),
      );
      expect(buttons.map(([, disabled]) => disabled)).toEqual([true, true, true, true]);
      const before = await selectedId(reader);
      const mutationsBefore = posted.filter((body) => body.includes("mutation")).length;
      for (const key of ["c", "x", "r", "n"]) await reader.keyboard.press(key);
      expect(await reader.$(".picker")).toBeNull();
      expect(posted.filter((body) => body.includes("mutation")).length).toBe(mutationsBefore);
      expect((await quotes()).find((quote) => quote.id === before).reviewState).toBe("UNREVIEWED");
      await screenshot(reader, "queue-reader");

      await reader.goto(`${api.origin}/console#/speaker/${await speakerId("Tomas Reyne")}`);
      await reader.waitForSelector(".speaker-page h1");
      const writes = await reader.$$eval(".speaker-page .write-blocked button", (list) => list.map((button) => (button as any).disabled));
      expect(writes.length).toBeGreaterThanOrEqual(3);
      expect(writes.every(Boolean)).toBe(true);
      expect(await reader.isVisible('[data-testid="read-only-reason"]')).toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("refuses a wrong key at the prompt with the API's reason, and keeps nothing of it", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.on("request", (request) => requested.push(request.url()));
      await page.goto(`${api.origin}/console`);
      await page.fill('input[type="password"]', "ng_not-a-key");
      await page.keyboard.press("Enter");
      const error = await page.waitForSelector(".key-prompt .error");
      expect(await error.textContent()).toBe("UNAUTHENTICATED The API key is not valid (unknown or revoked)");
      expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("shows the API's error code and message on the row when a write is refused", async () => {
    const key = await api.key("console-late-editor", "editor");
    const admin = await api.key("console-admin", "admin");
    const { page, context } = await openConsole(key);
    try {
      await page.waitForSelector("li.queue-row");
      const selected = await selectedId(page);
      const { body } = await api.gql(`mutation { setClientAppEnabled(name: "console-late-editor", enabled: false) { enabled } }`, {
        key: admin,
      });
      expect(body.data.setClientAppEnabled.enabled).toBe(false);
      await page.keyboard.press("c");
      const error = await page.waitForSelector('li.queue-row[aria-current="true"] .error');
      expect(await error.textContent()).toBe('UNAUTHENTICATED The client app "console-late-editor" is disabled');
      // Nothing moved on: the same quote is still selected and unreviewed.
      expect(await selectedId(page)).toBe(selected);
      expect((await quotes()).find((quote) => quote.id === selected).reviewState).toBe("UNREVIEWED");
      // Chromium logs the refused request (HTTP 401) to the console; that one was meant to fail.
      const expected = problems.filter((problem) => /status of 401/.test(problem));
      expect(expected).toHaveLength(1);
      problems.splice(problems.indexOf(expected[0]), 1);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("sent no request anywhere but this server, never put a key in a URL, and hit no CSP or script error", () => {
    expect(requested.filter((url) => !url.startsWith(`${api.origin}/`) && !/^(data|blob):/.test(url))).toEqual([]);
    expect(requested.filter((url) => url.includes(editorKey) || url.includes(readerKey))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
