import fs from "node:fs";
import path from "node:path";

import { ArticleFormatError } from "../../src/ingestion/errors";
import { nameKey } from "../../src/ingestion/names";
import { parseArticle } from "../../src/ingestion/parse-article";
import { findQuoteSpans } from "../../src/ingestion/quote-marks";
import { matchSpeaker } from "../../src/ingestion/speaker-match";

const SEED = path.join(__dirname, "..", "..", "..", "shared", "seed", "ukraine-war-briefing.txt");
const haveSeed = fs.existsSync(SEED);

/** A page in the aggregator's format around the given body lines. */
function page(body: string[], options: { bullets?: boolean } = {}): string {
  const units = body.map((line) => (options.bullets === false ? line : `  • ${line}`)).join("\n\n");
  return [
    "Get all your news in one place.",
    "The Test Herald - UK",
    "The Test Herald - UK",
    "World",
    "Herald staff",
    "",
    "A test headline",
    "",
    units,
    "",
    "Sign up to read this article",
    "Related Stories",
    "Download the app",
  ].join("\n");
}

const quotesOf = (text: string) => {
  const parsed = parseArticle(text);
  return parsed.quotes.map((q) => ({ text: q.text, speaker: q.speaker === null ? null : parsed.speakers[q.speaker].name }));
};

(haveSeed ? describe : describe.skip)("the seed page (../shared/seed/ukraine-war-briefing.txt)", () => {
  const parsed = haveSeed ? parseArticle(fs.readFileSync(SEED, "utf8")) : (null as never);

  it("finds every part of the page and none of its chrome", () => {
    expect(parsed.publication).toEqual({ name: "The Guardian - AU", brand: "The Guardian", edition: "AU" });
    expect([parsed.section, parsed.byline]).toEqual(["World", "Guardian staff and agencies"]);
    expect(parsed.headline).toBe("Ukraine war briefing: US backs European ceasefire security guarantees for first time");
    expect(parsed.image).toEqual({
      caption:
        "US Special Envoy Steve Witkoff flanked by Jared Kushner upon the signing of the declaration on deploying post-ceasefire force in Ukraine in Paris.",
      credit: "Ludovic Marin/AFP/Getty Images",
    });
    expect(parsed.bullets).toHaveLength(10);
    expect(parsed.bullets[0]).toMatch(/^The United States for the first time on Tuesday/);
    const everything = JSON.stringify(parsed);
    for (const chrome of ["Sign up to read", "Related Stories", "Our Picks", "Download the app", "Get all your news"])
      expect(everything).not.toContain(chrome);
    expect(parsed.topics).toEqual(["ukraine-war"]);
  });

  it("finds the quotes, and not the “coalition of the willing”", () => {
    const texts = parsed.quotes.map((q) => q.text);
    expect(texts).not.toContain("coalition of the willing");
    expect(texts).toContain("strongly stands behind security protocols");
    expect(texts).toContain("several thousand");
    for (const q of parsed.quotes) expect(parsed.bullets[q.bullet].slice(q.start, q.end)).toBe(q.text);
  });

  it("attributes to the subject of the speech verb, with roles, rules and confidences", () => {
    const byText = (start: string) => {
      const q = parsed.quotes.find((quote) => quote.text.startsWith(start))!;
      return { speaker: parsed.speakers[q.speaker!].name, rule: q.rule, confidence: q.confidence };
    };
    // "Witkoff … said after the summit that Trump “…”" is Witkoff's, not Trump's.
    expect(byText("strongly stands")).toEqual({ speaker: "Steve Witkoff", rule: "tag-before", confidence: 0.9 });
    expect(byText("Those security protocols")).toEqual({ speaker: "Steve Witkoff", rule: "pronoun", confidence: 0.85 });
    expect(byText("We think we’re largely finished")).toEqual({ speaker: "Steve Witkoff", rule: "continuation", confidence: 0.75 });
    expect(byText("they have to know")).toMatchObject({ speaker: "Jared Kushner" });
    expect(byText("several thousand")).toMatchObject({ speaker: "Emmanuel Macron" });
    expect(byText("for its readiness")).toMatchObject({ speaker: "Volodymyr Zelenskyy", rule: "pronoun" });
    expect(byText("Russia’s warriors")).toMatchObject({ speaker: "Vladimir Putin", rule: "tag-after" });
    const roles = Object.fromEntries(parsed.speakers.map((s) => [s.name, s.role]));
    expect(roles).toMatchObject({
      "Steve Witkoff": "US Special Envoy",
      "Emmanuel Macron": "French president",
      "Volodymyr Zelenskyy": "Ukrainian president",
    });
    expect(parsed.speakers.find((s) => s.name === "Steve Witkoff")!.mentions).toEqual(["US Special Envoy Steve Witkoff", "Witkoff"]);
  });
});

describe("quote detection", () => {
  it("tells inch marks and apostrophes from quote marks", () => {
    const text = `The 6'2" striker, who bought a 55" screen in the ’90s, said: "It's mine, and I'm keeping it."`;
    expect(findQuoteSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(["It's mine, and I'm keeping it."]);
  });

  it("splits a quote around its tag, keeps nested single quotes and ellipses, and survives a missing space", () => {
    expect(
      quotesOf(
        page([
          "Mayor Lena Hart said the vote was close. “We won,” she said. “We told them ‘never again’ … and meant it.”",
          "Hart thanked volunteers at the hall.“Every one of them counted,” Hart said.",
        ]),
      ),
    ).toEqual([
      { text: "We won,", speaker: "Lena Hart" },
      { text: "We told them ‘never again’ … and meant it.", speaker: "Lena Hart" },
      { text: "Every one of them counted,", speaker: "Lena Hart" },
    ]);
  });

  it("skips names and scare quotes: Title Case labels, so-called terms, quotes where nobody speaks", () => {
    const quotes = quotesOf(
      page([
        "The ship “Northern Star” docked at the so-called “peace dividend” terminal as part of “Operation Long Night”.",
        "Leaders of the “coalition of the willing” met in Paris.",
        "Minister Ada Voss said the plan was “late but real”.",
      ]),
    );
    expect(quotes).toEqual([{ text: "late but real", speaker: "Ada Voss" }]);
  });
});

describe("attribution", () => {
  it("reads titles and appositions, organisations, descriptions and unnamed sources", () => {
    expect(
      quotesOf(
        page([
          "The UN secretary general, Idris Mora, said: “This cannot wait.” The ministry said in a statement that the talks were “constructive”.",
          "Jon Pell, the central bank governor, warned that rates would “stay higher for longer”. “We will not blink,” the governor said.",
          "A banner outside read “No more delays”. One analyst, who asked not to be named, said the deal was “mostly theatre”.",
        ]),
      ),
    ).toEqual([
      { text: "This cannot wait.", speaker: "Idris Mora" },
      { text: "constructive", speaker: "ministry" },
      { text: "stay higher for longer", speaker: "Jon Pell" },
      { text: "We will not blink,", speaker: "Jon Pell" },
      { text: "No more delays", speaker: null },
      { text: "mostly theatre", speaker: null },
    ]);
  });

  it("keeps two people who share a surname apart, and resolves a lone surname to the right one", () => {
    const parsed = parseArticle(
      page([
        "Finance minister Maria Holt said the budget was “balanced at last”.",
        "Striker Daniel Holt, no relation, scored twice. “I just kept running,” Daniel Holt said.",
        "Maria Holt later added that the surplus was “small but honest”.",
      ]),
    );
    expect(parsed.speakers.map((s) => [s.name, s.role])).toEqual([
      ["Maria Holt", "finance minister"],
      ["Daniel Holt", "striker"],
    ]);
    expect(parsed.quotes.map((q) => parsed.speakers[q.speaker!].name)).toEqual(["Maria Holt", "Daniel Holt", "Maria Holt"]);
  });

  it("carries a pronoun or a bare quote across units to the last speaker", () => {
    expect(
      quotesOf(page(["Envoy Rosa Lind said talks would resume on Monday.", "“We are close,” she said.", "“Closer than last year.”"])),
    ).toEqual([
      { text: "We are close,", speaker: "Rosa Lind" },
      { text: "Closer than last year.", speaker: "Rosa Lind" },
    ]);
  });
});

describe("page layout", () => {
  it("reads paragraphs as body units when the page has no bullets", () => {
    const parsed = parseArticle(
      page(
        [
          "The harbour reopened on Friday after a week of storms, officials said.",
          "“We lost a week, not a season,” harbourmaster Ines Coll said.",
        ],
        { bullets: false },
      ),
    );
    expect(parsed.bullets).toEqual([
      "The harbour reopened on Friday after a week of storms, officials said.",
      "“We lost a week, not a season,” harbourmaster Ines Coll said.",
    ]);
    expect(parsed.speakers).toEqual([{ name: "Ines Coll", kind: "person", role: "harbourmaster", mentions: ["harbourmaster Ines Coll"] }]);
  });

  it("refuses text that is not an article page", () => {
    expect(() => parseArticle("")).toThrow(ArticleFormatError);
    expect(() => parseArticle("The Test Herald - UK\nWorld\nStaff\n\nA headline with no body\n")).toThrow(
      new ArticleFormatError("the page has no body: no bullets or paragraphs after the headline"),
    );
  });
});

describe("speaker matching across stories", () => {
  const known = [
    { id: 1, name: "Volodymyr Zelenskyy", kind: "person" as const, aliases: ["Zelenskyy"] },
    { id: 2, name: "Helena Renshaw", kind: "person" as const, aliases: [] },
    { id: 3, name: "Callum Renshaw", kind: "person" as const, aliases: [] },
    { id: 4, name: "Veldorian Defence Ministry", kind: "organisation" as const, aliases: [] },
  ];
  it("folds accents, titles and transliterations, and never merges different people", () => {
    expect(nameKey("Zoë Brandt")).toBe(nameKey("Zoe Brandt"));
    expect(nameKey("Dr Ilse Varga")).toBe(nameKey("Ilse Varga"));
    expect(nameKey("Oleksandr Marchenko")).toBe(nameKey("Olexandr Marchenko"));
    expect(matchSpeaker({ name: "Volodymyr Zelensky", kind: "person" }, known)?.id).toBe(1);
    expect(matchSpeaker({ name: "Renshaw", kind: "person" }, known)).toBeNull();
    expect(matchSpeaker({ name: "Maria Renshaw", kind: "person" }, known)).toBeNull();
    expect(matchSpeaker({ name: "defence ministry", kind: "organisation" }, known)?.id).toBe(4);
  });
});
