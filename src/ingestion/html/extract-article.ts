import { Readability } from "@mozilla/readability";

import { ArticleFormatError } from "../errors";
import { type ParsedPublication } from "../types";
import { bodyParagraphs } from "./body";
import { collapse, type DomDocument, type DomElement, parsePage } from "./dom";
import {
  absoluteUrl,
  brandOf,
  editionOf,
  firstText,
  isoDate,
  jsonLdObjects,
  metaContent,
  names,
  newsArticle,
  publicationOf,
  sameText,
  string,
  stripTitleSuffix,
  titleSuffix,
  withoutDomain,
} from "./metadata";

/** What an article page says about itself, and its body as paragraphs. Plain data. */
export interface ExtractedArticle {
  publication: ParsedPublication | null;
  section: string | null;
  byline: string | null;
  headline: string;
  /** ISO 8601, or null when the page gives no readable date. */
  datePublished: string | null;
  dateModified: string | null;
  canonicalUrl: string | null;
  image: { url: string | null; caption: string | null; credit: string | null } | null;
  paragraphs: string[];
}

/**
 * Reads an article page: metadata from schema.org `NewsArticle` JSON-LD first, then Open
 * Graph and other `<meta>` tags, then the markup; the body from Mozilla's Readability, cut
 * into paragraphs. Pure: no I/O. `url` is where the page was fetched from (used for relative
 * links and as the canonical URL when the page gives none).
 */
export function extractArticle(html: string, url?: string | null): ExtractedArticle {
  const document = parsePage(html);
  const ld = jsonLdObjects(document);
  const article = newsArticle(ld);
  const base = url ?? null;

  const canonicalUrl =
    absoluteUrl(document.querySelector('link[rel="canonical"]')?.getAttribute("href"), base) ??
    absoluteUrl(metaContent(document, "og:url"), base) ??
    absoluteUrl(string(article?.url) ?? string((article?.mainEntityOfPage as { "@id"?: string } | undefined)?.["@id"]), base) ??
    absoluteUrl(base, null);

  const docTitle = collapse(document.querySelector("title")?.textContent);
  const siteNames = [
    ...names(article?.publisher),
    metaContent(document, "og:site_name"),
    metaContent(document, "dc.publisher", "DC.publisher"),
    metaContent(document, "application-name"),
    metaContent(document, "dc.source"),
    titleSuffix(docTitle),
  ].filter((name): name is string => !!name);
  const brand = brandOf(siteNames) ?? brandFromAddress(document, canonicalUrl);
  const authors = authorsOf(document, article);
  const headline = headlineOf(document, article, docTitle, [...siteNames, ...authors]);
  const section = sectionOf(document, article);
  const locales = [
    metaContent(document, "og:locale"),
    string(article?.inLanguage),
    document.documentElement?.getAttribute("lang") ?? null,
    metaContent(document, "dc.language", "content-language"),
    document.querySelector('meta[http-equiv="content-language" i]')?.getAttribute("content") ?? null,
  ];
  const publication = publicationOf(brand, editionOf(locales, canonicalUrl));
  const datePublished = isoDate(
    string(article?.datePublished) ??
      metaContent(
        document,
        "article:published_time",
        "article:published",
        "datePublished",
        "publish_date",
        "pubdate",
        "dc.date.issued",
        "dc.date",
        "date",
      ),
  );
  const dateModified = isoDate(
    string(article?.dateModified) ?? metaContent(document, "article:modified_time", "article:modified", "dateModified", "og:updated_time"),
  );

  // Readability takes the document apart, so everything read from the page itself comes first.
  const heroImage = heroImageOf(document, article, base);
  const reader = new Readability(document as never, { serializer: (node: unknown) => node, charThreshold: 300 }).parse();
  const content = (reader?.content ?? null) as DomElement | null;
  const paragraphs = content ? bodyParagraphs(content) : [];
  if (paragraphs.length === 0) throw new ArticleFormatError("the HTML page has no article text: no body paragraphs were found");
  if (!headline) throw new ArticleFormatError("the HTML page has no headline: no JSON-LD headline, og:title, <title> or <h1>");

  let byline = authors.length > 0 ? joinNames(authors) : cleanByline(reader?.byline ?? null, siteNames);
  // No author named: the page's own name for itself in its web-address form, as aggregators print it.
  byline ??= siteNames.find((name) => /\.[a-z]{2,}$/i.test(name)) ?? brand;
  if (headline.length > 1000) throw new ArticleFormatError("the HTML page's headline is longer than 1000 characters");
  // Fields longer than any real one are page junk; dropping them keeps them out of the database's columns.
  const image = heroImage && {
    url: fits(heroImage.url, 2000),
    caption: fits(heroImage.caption, 5000),
    credit: fits(heroImage.credit, 500),
  };
  return {
    publication: publication && publication.name.length <= 300 && (publication.edition ?? "").length <= 100 ? publication : null,
    section: fits(section, 200),
    byline: fits(byline, 500),
    headline,
    datePublished,
    dateModified,
    canonicalUrl: fits(canonicalUrl, 2000),
    image,
    paragraphs,
  };
}

const fits = (value: string | null, max: number) => (value && value.length <= max ? value : null);

/**
 * A page that names itself nowhere in its metadata still signs its copyright line: the site's
 * domain name, spelt as that line spells it ("webmd.com" → "©2005-2015 WebMD, LLC" → "WebMD").
 */
function brandFromAddress(document: DomDocument, url: string | null): string | null {
  let host: string;
  try {
    host = new URL(url ?? "").hostname.replace(/^www\d*\./, "");
  } catch {
    return null;
  }
  const label = host.split(".")[0];
  if (!label) return null;
  const elements = Array.from(document.querySelectorAll("body *"));
  for (let i = elements.length - 1; i >= 0 && i >= elements.length - 5000; i--) {
    const text = collapse(elements[i].textContent);
    if (text.length > 300 || !/©|&copy;|copyright/i.test(text)) continue;
    const word = text.split(/[^\p{L}\p{N}!]+/u).find((token) => token.toLowerCase() === label.toLowerCase());
    if (word) return word;
  }
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function headlineOf(document: DomDocument, article: Record<string, unknown> | null, docTitle: string, knownNames: string[]): string | null {
  const fromMeta = [
    string(article?.headline),
    metaContent(document, "og:title"),
    metaContent(document, "twitter:title"),
    metaContent(document, "title", "dc.title", "headline"),
  ]
    .filter((title): title is string => !!title)
    .map((title) => stripTitleSuffix(title, knownNames));
  const title = docTitle ? stripTitleSuffix(docTitle, knownNames) : null;
  const headings = Array.from(document.querySelectorAll("h1, h2"))
    .slice(0, 40)
    .map((heading) => collapse(heading.textContent))
    .filter(Boolean);
  // Metadata spells the headline as the publisher meant it (straight quotes where the visible
  // heading has typographic ones); a visible heading confirms which metadata title is the article's.
  for (const candidate of fromMeta) if (headings.some((heading) => sameText(heading, candidate))) return candidate;
  // Social titles are sometimes rewritten for sharing; the visible heading that opens the
  // document title is then the headline (a site's chrome <h1> does not match the title).
  if (title) {
    const heading = headings.find((h) => h.split(/\s+/).length >= 2 && (sameText(h, title) || startsWithWords(title, h)));
    if (heading) return heading;
  }
  return fromMeta[0] ?? title ?? headings[0] ?? null;
}

function startsWithWords(text: string, prefix: string): boolean {
  const a = text.toLowerCase();
  const b = prefix.toLowerCase();
  return a.startsWith(b) && (a.length === b.length || /[\s\-–—|:]/.test(a[b.length]));
}

function sectionOf(document: DomDocument, article: Record<string, unknown> | null): string | null {
  const raw =
    string(article?.articleSection) ??
    metaContent(document, "article:section", "section", "prism.section", "dc.subject") ??
    firstText(document, ['[itemprop="articleSection"]']);
  if (!raw) return null;
  // A path ("/world/middle_east") names the section by its first part.
  const part = raw.startsWith("/") ? (raw.split("/").filter(Boolean)[0] ?? "") : raw;
  const words = part.replace(/[_-]+/g, " ").trim();
  if (!words) return null;
  return words === words.toLowerCase() || words === words.toUpperCase()
    ? words.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase())
    : words;
}

/** Authors as people: JSON-LD, then `<meta>` author tags, then the markup's author links. */
function authorsOf(document: DomDocument, article: Record<string, unknown> | null): string[] {
  const fromLd = names(article?.author).filter(isPersonName);
  if (fromLd.length > 0) return fromLd;
  const fromMeta = [
    metaContent(document, "author"),
    metaContent(document, "byline"),
    metaContent(document, "dc.creator"),
    metaContent(document, "article:author"),
  ]
    .map((value) => cleanByline(value, []))
    .filter((value): value is string => !!value && isPersonName(value));
  if (fromMeta.length > 0) return [fromMeta[0]];
  const fromMarkup = Array.from(document.querySelectorAll('[rel="author"], [itemprop="author"] [itemprop="name"], [itemprop="author"]'))
    .map((element) => cleanByline(collapse(element.getAttribute("content") ?? element.textContent), []))
    .filter((value): value is string => !!value && isPersonName(value));
  if (fromMarkup.length > 0) return [...new Set(fromMarkup)].slice(0, 4);
  const printed = printedByline(document);
  return printed ? [printed] : [];
}

const PRINTED_BYLINE = /^By\s+(\p{Lu}[\p{L}.'’-]*(?:\s+(?:and\s+|&\s+)?\p{Lu}[\p{L}.'’-]*){1,7})$/u;

/**
 * A byline printed in the page, "By Jemele Hill" or "By PHILLIP RAWLS", as a text node of its
 * own (sites put the author's name and the site's on lines of one block). Only the first
 * few thousand elements are looked at: bylines sit near the top.
 */
function printedByline(document: DomDocument): string | null {
  const elements = Array.from(document.querySelectorAll("body *")).slice(0, 5000);
  for (const element of elements) {
    const nodes = element.childNodes;
    for (let i = 0; i < nodes.length; i++) {
      if (nodes[i].nodeType !== 3) continue;
      const match = PRINTED_BYLINE.exec(collapse(nodes[i].textContent));
      if (match) return cleanByline(match[1], []);
    }
  }
  return null;
}

/** Wire-service credits and addresses are not people: "AP", "Reuters", a profile URL. */
function isPersonName(value: string): boolean {
  if (/^https?:|[@/]/.test(value)) return false;
  if (/^(ap|afp|reuters|associated press|staff|the associated press|wire|agencies)$/i.test(value)) return false;
  const parts = value.split(/\s+/);
  return parts.length >= 2 && parts.length <= 12;
}

/**
 * A printed byline as names: "By JORDAN ROBERTSON and RACHEL METZ - AP Technology Writers |
 * AP – 1 hr ago" → "Jordan Robertson and Rachel Metz"; "By Ed Hornick, CNN" → "Ed Hornick".
 */
export function cleanByline(value: string | null, siteNames: string[]): string | null {
  if (!value) return null;
  let text =
    value
      .split(/\n/)
      .map((line) => line.trim())
      .filter(Boolean)[0] ?? "";
  text = collapse(text).replace(/^by[:\s]+/i, "");
  text = text.split(/\s+[-–—|]\s+|\s*\|\s*/)[0];
  const sites = siteNames.map((name) => withoutDomain(name).toLowerCase());
  const parts = text.split(/\s*,\s*/);
  while (parts.length > 1 && (sites.includes(parts[parts.length - 1].toLowerCase()) || /^[A-Z]{2,5}$/.test(parts[parts.length - 1])))
    parts.pop();
  text = parts.join(", ").trim();
  if (!text || /\d{1,2}:\d{2}|\b(19|20)\d{2}\b/.test(text)) return null;
  // Names set in capitals are written as names.
  text = text.replace(/\p{Lu}{2,}(?:['’-]\p{Lu}+)*/gu, (word) =>
    word.length <= 3 && !/[AEIOUY]/.test(word)
      ? word
      : word.toLowerCase().replace(/(^|['’-])(\p{L})/gu, (_, before: string, c: string) => before + c.toUpperCase()),
  );
  return text;
}

function joinNames(list: string[]): string {
  const unique = [...new Set(list)];
  return unique.length <= 1 ? (unique[0] ?? "") : `${unique.slice(0, -1).join(", ")} and ${unique[unique.length - 1]}`;
}

/**
 * The lead image: JSON-LD `image`, then `og:image`; its caption and credit from JSON-LD, else
 * from the first figure of the article (`<figcaption>`, its credit element or `<cite>`, or a
 * "Photograph: …" tail).
 */
function heroImageOf(document: DomDocument, article: Record<string, unknown> | null, base: string | null): ExtractedArticle["image"] {
  const ldImage = [article?.image].flat()[0] as unknown;
  const ldObject = ldImage && typeof ldImage === "object" ? (ldImage as Record<string, unknown>) : null;
  const url =
    absoluteUrl(typeof ldImage === "string" ? ldImage : string(ldObject?.url), base) ??
    absoluteUrl(metaContent(document, "og:image", "og:image:url", "twitter:image"), base);
  let caption = string(ldObject?.caption);
  let credit: string | null = string(ldObject?.creditText) ?? names(ldObject?.copyrightHolder)[0] ?? names(ldObject?.author)[0] ?? null;
  if (!caption) {
    const found = markupCaption(document);
    caption = found.caption;
    credit ??= found.credit;
  }
  if (!url && !caption) return null;
  return { url, caption: caption ?? null, credit: credit ?? null };
}

const CREDIT_LABEL = /^(?:photo(?:graph)?s?|image|picture|illustration|credit)\s*:\s*/i;
/** "… election. (Thomas Coex/AFP/Getty Images)": a trailing parenthesis that names an agency or has a slash. */
const TRAILING_CREDIT = /\s*\(([^()]*(?:\/|\b(?:AP|AFP|Reuters|Getty|EPA|Shutterstock)\b)[^()]*)\)$/;

/**
 * The lead photo's caption from the markup: the first `<figcaption>` or caption-classed
 * element that reads like a caption (a few words, not a paragraph of the story), and its
 * credit from a credit-classed element inside or beside it, a "Photograph: …" tail or a
 * trailing "(Agency)".
 */
function markupCaption(document: DomDocument): { caption: string | null; credit: string | null } {
  const candidates = Array.from(document.querySelectorAll('figcaption, [class*="caption" i]')).slice(0, 50);
  for (const element of candidates) {
    if (element.parentNode && candidates.includes(element.parentNode as DomElement)) continue;
    const creditElement =
      element.querySelector('[class*="credit" i], [class*="copyright" i], cite, [itemprop="copyrightHolder"]') ?? siblingCredit(element);
    const creditText = collapse(creditElement?.textContent);
    let text = collapse(element.textContent);
    if (creditText && text.endsWith(creditText)) text = text.slice(0, -creditText.length).trim();
    let credit = creditText.replace(CREDIT_LABEL, "").replace(/^(?:credit)+\s*/i, "") || null;
    const tail = /\s(?:Photograph|Photo|Image|Picture|Illustration)s?:\s*(.+)$/.exec(text);
    if (tail) {
      text = text.slice(0, tail.index).trim();
      credit ??= tail[1].trim();
    }
    const parenthesis = TRAILING_CREDIT.exec(text);
    if (parenthesis) {
      text = text.slice(0, parenthesis.index).trim();
      credit ??= parenthesis[1].trim();
    }
    text = text
      .replace(/\s*(?:Credit)+$/i, "")
      .replace(/^(?:main image|caption)\s*:\s*/i, "")
      .trim();
    const words = text.split(/\s+/).length;
    if (words < 4 || text.length > 400) continue;
    return { caption: text, credit };
  }
  return { caption: null, credit: null };
}

function siblingCredit(element: DomElement): DomElement | null {
  const parent = element.parentNode as DomElement | null;
  if (!parent?.children) return null;
  const siblings = Array.from(parent.children);
  return siblings.find((sibling) => sibling !== element && /credit|copyright/i.test(sibling.className)) ?? null;
}
