import { ArticleFormatError } from "./errors";
import { type ParsedPublication } from "./types";

/**
 * Aggregator page chrome: promotions and navigation around the article. Matched after
 * normalising apostrophes and case, so "100's" and "100’s" are the same line.
 */
const CHROME_LINES = new Set(
  [
    "Get all your news in one place.",
    "100’s of premium titles.",
    "One app.",
    "Start reading",
    "Sign up to read this article",
    "Read news from 100’s of titles, curated specifically for you.",
    "Already a member? Sign in here",
    "Related Stories",
    "Top stories on inkl right now",
    "One subscription that gives you access to news from hundreds of sites",
    "Our Picks",
    "Fourteen days free",
    "Download the app",
    "One app. One membership.",
    "100+ trusted global sources.",
  ].map(normaliseLine),
);

/** Chrome we have not seen verbatim still tends to look like this. */
const CHROME_PATTERNS = [
  /^(sign (up|in)|log ?in|subscribe|start (reading|your free trial)|download (the|our) app|already a (member|subscriber))\b/i,
  /^(related stories|our picks|top stories|more from|recommended|advertisement|share this article)\b/i,
  /\b(days? free|free trial)\b/i,
];

const CREDIT = /\s(?:Photograph|Photo|Image|Picture|Illustration)s?:\s*(.+)$/;
const BULLET = /^\s*[•●▪◦‣]\s*/;

export interface PageParts {
  publication: ParsedPublication | null;
  section: string | null;
  byline: string | null;
  headline: string;
  image: { caption: string | null; credit: string | null } | null;
  bullets: string[];
}

function normaliseLine(line: string): string {
  return line.trim().replace(/[’‘`]/g, "'").replace(/\s+/g, " ").toLowerCase();
}

export function isChrome(line: string): boolean {
  const trimmed = line.trim();
  return CHROME_LINES.has(normaliseLine(trimmed)) || CHROME_PATTERNS.some((pattern) => pattern.test(trimmed));
}

/** "The Guardian - AU" → brand "The Guardian", edition "AU". */
export function parsePublicationLine(line: string): ParsedPublication {
  const name = line.trim();
  const match = /^(.+?)\s+[-–—]\s+([^-–—]{1,24})$/.exec(name);
  return match ? { name, brand: match[1].trim(), edition: match[2].trim() } : { name, brand: name, edition: null };
}

const looksLikePublication = (line: string) => /^\S.{1,80}\s[-–—]\s[A-Za-z]{2,12}$/.test(line.trim());

/**
 * Splits a captured page into its parts. The page's shape is the guide, not a fixed line
 * count: chrome is skipped wherever it appears, the publication line may be printed once or
 * twice, the photo may be missing, and the body is either "•" bullets or plain paragraphs.
 */
export function splitPage(text: string): PageParts {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  const skipBlankAndChrome = () => {
    while (i < lines.length && (lines[i].trim() === "" || isChrome(lines[i]))) i++;
  };

  // Header: publication (possibly repeated), section, byline, up to the first blank line.
  skipBlankAndChrome();
  const header: string[] = [];
  while (i < lines.length && lines[i].trim() !== "") {
    if (!isChrome(lines[i])) header.push(lines[i].trim());
    i++;
  }
  const dedupedHeader = header.filter((line, index) => index === 0 || line !== header[index - 1]);
  let publication: ParsedPublication | null = null;
  let rest = dedupedHeader;
  if (dedupedHeader.length > 0 && (looksLikePublication(dedupedHeader[0]) || dedupedHeader.length >= 3)) {
    publication = parsePublicationLine(dedupedHeader[0]);
    rest = dedupedHeader.slice(1);
  }
  const section = rest[0] ?? null;
  const byline = rest.slice(1).join(", ") || null;

  // Headline: the next non-blank line.
  skipBlankAndChrome();
  const headline = lines[i]?.trim();
  if (!headline || BULLET.test(headline))
    throw new ArticleFormatError("the page has no headline after the publication, section and byline lines");
  i++;

  // The rest: a caption (printed once as alt text, then with its credit), then the body.
  const remaining = lines.slice(i);
  let image: PageParts["image"] = null;
  const creditIndex = remaining.findIndex((line, index) => CREDIT.test(line) && !BULLET.test(line) && index < 6);
  let bodyStart = 0;
  if (creditIndex >= 0) {
    const line = remaining[creditIndex].trim();
    const match = CREDIT.exec(line)!;
    image = { caption: line.slice(0, match.index).trim() || null, credit: match[1].trim() || null };
    bodyStart = creditIndex + 1;
  }

  const body = remaining.slice(bodyStart);
  const hasBullets = body.some((line) => BULLET.test(line));
  const bullets = hasBullets ? bulletUnits(body) : paragraphUnits(body);
  if (bullets.length === 0) throw new ArticleFormatError("the page has no body: no bullets or paragraphs after the headline");
  return { publication, section, byline, headline, image, bullets };
}

/** A bullet runs from its "•" to the next bullet or blank line; stray chrome is not body. */
function bulletUnits(lines: string[]): string[] {
  const units: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (BULLET.test(line)) {
      if (current) units.push(current.join(" "));
      current = [line.replace(BULLET, "").trim()];
    } else if (line.trim() === "" || isChrome(line)) {
      if (current) units.push(current.join(" "));
      current = null;
    } else if (current) {
      current.push(line.trim());
    }
  }
  if (current) units.push(current.join(" "));
  return units.filter((unit) => unit.length > 0);
}

/**
 * Without bullets, paragraphs are the body. The body ends at the first chrome line; a
 * paragraph that is too short or lacks closing punctuation is page furniture, not prose.
 */
function paragraphUnits(lines: string[]): string[] {
  const units: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = current.join(" ").trim();
    current = [];
    if (text && text.split(/\s+/).length >= 4 && /[.!?…"”’)]$/.test(text)) units.push(text);
  };
  for (const line of lines) {
    if (isChrome(line)) {
      flush();
      if (units.length > 0) break;
      continue;
    }
    if (line.trim() === "") flush();
    else current.push(line.trim());
  }
  flush();
  return units;
}
