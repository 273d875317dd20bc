import { type Browser, type Page } from "playwright-core";

import { Story } from "../../src/story/story.entity";
import { buildPlayground, playgroundIsBuilt } from "../../src/playground/build";
import { startHttpServer, type HttpServer } from "../helpers/http-server";
import { describeWithChromium, launchChromium } from "./chromium";

const STORY_SLUG = "veldoria-briefing-ceasefire-takes-hold-as-monitors-deploy";

beforeAll(async () => {
  if (!playgroundIsBuilt()) await buildPlayground();
}, 60_000);

describe("the playground page", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer();
  });
  afterAll(() => api.close());

  it("is what a browser gets at GET /graphql and /playground, under a strict CSP", async () => {
    for (const path of ["/graphql", "/playground"]) {
      const response = await api.request({ path, headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
      expect([path, response.status, response.headers.get("content-type")]).toEqual([path, 200, "text/html; charset=utf-8"]);
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(response.text).toContain('<script src="/playground/graphiql.js"></script>');
      expect(response.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
  });

  it("carries every example operation as a tab, escaped so no operation can end the script element", async () => {
    const response = await api.request({ path: "/playground", headers: { accept: "text/html" } });
    const json = /<script id="newsgate-playground" type="application\/json">(.*?)<\/script>/s.exec(response.text)![1];
    const settings = JSON.parse(json);
    expect(settings.endpoint).toBe("/graphql");
    expect(settings.operations.map((operation: { name: string }) => operation.name).slice(0, 3)).toEqual([
      "story-page",
      "front-page",
      "speaker-quotes",
    ]);
    expect(settings.operations[0].query).toContain("query StoryPage(");
    expect(json).not.toContain("<");
  });

  it("serves its script and stylesheet from this server", async () => {
    const script = await api.request({ path: "/playground/graphiql.js" });
    const style = await api.request({ path: "/playground/graphiql.css" });
    expect([script.status, script.headers.get("content-type"), style.status, style.headers.get("content-type")]).toEqual([
      200,
      "text/javascript; charset=utf-8",
      200,
      "text/css; charset=utf-8",
    ]);
  });

  it("leaves GET /graphql to GraphQL for clients that do not ask for HTML", async () => {
    const response = await api.request({
      path: "/graphql?query=%7B__typename%7D",
      headers: { accept: "application/json", "apollo-require-preflight": "1" },
    });
    expect([response.status, response.body]).toEqual([200, { data: { __typename: "Query" } }]);
  });
});

describe("PLAYGROUND=sandbox and PLAYGROUND=off", () => {
  it("serves Apollo Sandbox instead when asked to, and nothing when off", async () => {
    const sandbox = await startHttpServer({ config: { playground: "sandbox" } });
    const off = await startHttpServer({ config: { playground: "off" } });
    try {
      const page = await sandbox.request({ path: "/graphql", headers: { accept: "text/html" } });
      expect([page.status, page.text]).toEqual([200, expect.stringContaining("embeddable-sandbox")]);
      const redirect = await sandbox.request({ path: "/playground", headers: { accept: "text/html" }, redirect: "manual" });
      expect([redirect.status, redirect.headers.get("location")]).toEqual([302, "/graphql"]);
      const none = await off.request({ path: "/playground", headers: { accept: "text/html" } });
      expect(none.status).toBe(404);
      const graphql = await off.request({ path: "/graphql", headers: { accept: "text/html" } });
      expect(graphql.headers.get("content-type")).not.toMatch(/html/);
    } finally {
      await sandbox.close();
      await off.close();
    }
  });
});

describeWithChromium("the playground in headless Chromium", () => {
  let api: HttpServer;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    api = await startHttpServer({ demo: true });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on("request", (request) => requested.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error" || /Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  // The functions below run in the page, not in Node: `document` is the browser's. This
  // project's TypeScript settings have no DOM types, hence `globalThis as any`.

  /** Sets the text of the CodeMirror editor in the element matching `selector`. */
  const setEditor = (selector: string, text: string) =>
    page.evaluate(
      ([selector, text]) => {
        // CodeMirror 5 keeps its editor object on its wrapper element.
        (globalThis as any).document.querySelector(`${selector} .CodeMirror`).CodeMirror.setValue(text);
      },
      [selector, text],
    );
  const resultText = () => page.evaluate((): string => (globalThis as any).document.querySelector(".result-window")?.innerText ?? "");

  it("opens on the StoryPage tab, runs it and shows the story's headline, without a request leaving this machine", async () => {
    const story = await api.dataSource.getRepository(Story).findOneByOrFail({ slug: STORY_SLUG });
    await page.goto(api.url);
    await page.waitForSelector(".graphiql-execute-button");
    const tabs = await page.locator(".graphiql-tab").allInnerTexts();
    expect(tabs.slice(0, 3).map((tab) => tab.replace(/\W/g, ""))).toEqual(["StoryPage", "FrontPage", "SpeakerQuotes"]);
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(
      (headline) => (globalThis as any).document.querySelector(".result-window")?.textContent?.includes(headline),
      story.headline,
    );
    expect(await resultText()).toContain(`"headline": "${story.headline}"`);

    const foreign = requested.filter((url) => !/^(http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:)/.test(url));
    expect(foreign).toEqual([]);
    expect(requested).toEqual(
      expect.arrayContaining([api.url, `${api.origin}/playground/graphiql.js`, `${api.origin}/playground/graphiql.css`]),
    );
    expect(problems).toEqual([]);
  }, 60_000);

  it("sends the API key typed into the header editor", async () => {
    const key = await api.key("playground-user", "reader");
    await page.click(".graphiql-tab-add");
    await setEditor(".graphiql-query-editor", "query WhoAmI { viewer { name role } }");
    await setEditor(".graphiql-editor-tool .graphiql-editor:not(.hidden)", JSON.stringify({ Authorization: `Bearer ${key}` }));
    // GraphiQL takes in an edit after a short debounce; the tab's title shows when it has.
    await page.waitForFunction(() => (globalThis as any).document.querySelector(".graphiql-tab-active")?.textContent?.includes("WhoAmI"));
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(() =>
      (globalThis as any).document.querySelector(".result-window")?.textContent?.includes("playground-user"),
    );
    expect(await resultText()).toContain('"name": "playground-user"');
    expect(problems).toEqual([]);
  }, 60_000);
});
