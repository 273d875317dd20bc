import { type ParsedPublication } from "../types";
import { collapse, type DomDocument, type DomElement } from "./dom";

/** A JSON-LD object as pages write it: anything goes, so every read is defensive. */
type Json = Record<string, unknown>;

const ARTICLE_TYPES =
  /^(NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BlogPosting|LiveBlogPosting|Report)$/;

/** Every JSON-LD object on the page, `@graph`s and arrays flattened; blocks that do not parse are skipped. */
export function jsonLdObjects(document: DomDocument): Json[] {
  const out: Json[] = [];
  const visit = (value: unknown, depth: number) => {
    if (depth > 4 || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, depth + 1));
    const object = value as Json;
    out.push(object);
    if (Array.isArray(object["@graph"])) visit(object["@graph"], depth + 1);
  };
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
    // Some CMSs wrap the JSON in a CDATA section.
    const text = (script.textContent ?? "").replace(/^\s*(?:<!\[CDATA\[|\/\/\s*<!\[CDATA\[)/, "").replace(/(?:\]\]>|\/\/\s*\]\]>)\s*$/, "");
    try {
      visit(JSON.parse(text), 0);
    } catch {
      // A broken block says nothing; the page's other metadata still does.
    }
  }
  return out;
}

const typesOf = (object: Json) => [object["@type"]].flat().filter((t): t is string => typeof t === "string");

export function newsArticle(objects: Json[]): Json | null {
  return objects.find((object) => typesOf(object).some((type) => ARTICLE_TYPES.test(type))) ?? null;
}

export function string(value: unknown): string | null {
  if (typeof value === "string") return collapse(value) || null;
  if (Array.isArray(value)) return string(value[0]);
  return null;
}

/** Names out of `author`/`publisher` values: a string, `{ name }`, or a list of either. */
export function names(value: unknown): string[] {
  if (typeof value === "string") return collapse(value) ? [collapse(value)] : [];
  if (Array.isArray(value)) return value.flatMap(names);
  if (value && typeof value === "object") return names((value as Json).name);
  return [];
}

/** `<meta>` content by `property`, `name` or `itemprop`, case-insensitively; first non-empty wins. */
export function metaContent(document: DomDocument, ...keys: string[]): string | null {
  const metas = Array.from(document.querySelectorAll("meta"));
  for (const key of keys.map((k) => k.toLowerCase())) {
    for (const meta of metas) {
      const name = (meta.getAttribute("property") ?? meta.getAttribute("name") ?? meta.getAttribute("itemprop") ?? "").toLowerCase();
      if (name !== key) continue;
      const content = collapse(meta.getAttribute("content"));
      if (content) return content;
    }
  }
  return null;
}

export function absoluteUrl(value: string | null | undefined, base: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim(), base ?? undefined);
    return ["http:", "https:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** "ESPN.com" → "ESPN", "Telegraph.co.uk" → "Telegraph": the name without its web address's ending. */
export function withoutDomain(name: string): string {
  return name.replace(/\.(?:com|net|org|co\.uk|co|uk|go\.com|com\.au|ca|ie|in)$/i, "").trim();
}

const fold = (text: string) =>
  text
    .normalize("NFKC")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‘’‚‛′`]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();

export const sameText = (a: string, b: string) => fold(a) === fold(b);

/**
 * Titles carry the site's (or the author's) name after a separator: "Headline - Telegraph",
 * "Headline | Eleanor Ainge Roy". A trailing part is cut when it is one of the names we know
 * the page by, so a headline that itself contains " - " keeps it.
 */
export function stripTitleSuffix(title: string, knownNames: string[]): string {
  let result = collapse(title);
  const known = knownNames.map((name) => fold(withoutDomain(name))).filter(Boolean);
  for (;;) {
    const match = /^(.+?)\s+[-–—|:·•]\s+([^-–—|]{1,60})$/.exec(result);
    if (!match) return result;
    const tail = fold(withoutDomain(match[2]));
    if (!known.some((name) => name === tail || name.endsWith(` ${tail}`) || tail.endsWith(` ${name}`) || tail.includes(name)))
      return result;
    result = match[1].trim();
  }
}

/** The last " - X" / " | X" part of the document title: where sites print their name. */
export function titleSuffix(title: string): string | null {
  const match = /\s[-–—|]\s*([^-–—|]{2,40})$/.exec(collapse(title));
  return match ? match[1].trim() : null;
}

/**
 * The brand: the names the page gives itself (JSON-LD publisher, `og:site_name`, Dublin Core
 * publisher, the `<title>` suffix). Sites abbreviate in one place and spell out in another
 * ("Washington Post" / "The Washington Post", "BuzzFeed" / "BuzzFeed News"), so the fullest
 * form that contains another candidate wins; a web address loses its ending.
 */
export function brandOf(candidates: Array<string | null>): string | null {
  const names = candidates.filter((name): name is string => !!name).map((name) => withoutDomain(collapse(name)));
  if (names.length === 0) return null;
  const key = (name: string) => fold(name).replace(/[^\p{L}\p{N}]+/gu, "");
  let best = names[0];
  for (const name of names) {
    if (key(name).includes(key(best)) && name.length > best.length) best = name;
    else if (key(name) === key(best) && /^\p{Lu}/u.test(name) && !/^\p{Lu}/u.test(best)) best = name;
  }
  // "TIME.com" came in as "TIME"; "the Guardian" is written "The Guardian" in a publication line.
  return best.replace(/^the\s/, "The ");
}

/** Region codes publication lines use for the editions ("The Guardian - UK"). */
const EDITION_BY_REGION: Record<string, string> = { GB: "UK" };
const EDITION_BY_TLD: Record<string, string> = { uk: "UK", au: "AU", ie: "IE", ca: "CA", nz: "NZ", in: "IN", za: "ZA" };

/**
 * The edition, from what the page says about where it is for: its locale (`og:locale`,
 * JSON-LD `inLanguage`, `<html lang>`, Dublin Core language) when it names a region, else the
 * country ending of its address (`.co.uk`), else the region a bare language tag stands for
 * by Unicode's likely-subtags data (`en` → US), so every page gets the edition a reader in its
 * language would be shown.
 */
export function editionOf(locales: Array<string | null>, url: string | null): string | null {
  const tags = locales.filter((tag): tag is string => !!tag).map((tag) => tag.replace(/_/g, "-").trim());
  for (const tag of tags) {
    const region = safeLocale(tag)?.region;
    if (region) return EDITION_BY_REGION[region] ?? region;
  }
  const host = url ? safeHost(url) : null;
  const tld = host?.split(".").pop() ?? "";
  if (EDITION_BY_TLD[tld]) return EDITION_BY_TLD[tld];
  const language = tags.map(safeLocale).find((locale) => locale?.language)?.language ?? "en";
  const region = safeLocale(language)?.maximize().region;
  return region ? (EDITION_BY_REGION[region] ?? region) : null;
}

function safeLocale(tag: string): Intl.Locale | null {
  try {
    return new Intl.Locale(tag);
  } catch {
    return null;
  }
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

export function publicationOf(brand: string | null, edition: string | null): ParsedPublication | null {
  if (!brand) return null;
  return { name: edition ? `${brand} - ${edition}` : brand, brand, edition };
}

/** Markup fallbacks, in the order pages use them. */
export function firstText(root: DomDocument | DomElement, selectors: string[]): string | null {
  for (const selector of selectors) {
    for (const element of Array.from(root.querySelectorAll(selector))) {
      const text = collapse(element.getAttribute("content") ?? element.textContent);
      if (text) return text;
    }
  }
  return null;
}
