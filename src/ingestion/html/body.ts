import { collapse, type DomElement } from "./dom";

/** Blocks that hold prose. A block holding another block is a container: its children are the units. */
const BLOCK = new Set([
  "P",
  "LI",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "BLOCKQUOTE",
  "DD",
  "DT",
  "PRE",
  "TD",
  "TH",
  "DIV",
  "SECTION",
  "ARTICLE",
  "FIGCAPTION",
]);
const HEADING = /^H[1-6]$/;

/** Furniture inside articles, by class or id: captions, credits, share bars, promos, newsletter boxes. */
const FURNITURE =
  /(^|[\s_-])(caption|credit|share|sharing|social|promo|related|newsletter|signup|sign-up|advert|ad-container|tools|toolbar|byline|author-bio|bio|tags|breadcrumb|highlights?|inline-video|video-teaser|subscribe)([\s_-]|$)/i;

/** Paragraphs that only point elsewhere: "Read more: …", "[Read: …]", "See also …", "Video: …". */
const PROMO =
  /^(?:\[[^\]]*\]|read more\b.*|see also\b.*|related:.*|more:.*|video:.*|watch:.*|listen:.*|click here\b.*|sign up\b.*|follow (?:us|me)\b.*|share this\b.*)$/i;

/**
 * The article's body as paragraphs, in order, from Readability's content tree. A paragraph is
 * a leaf block (one that holds no other block). Dropped: headings (unless a site sets whole
 * sentences in them, as BuzzFeed does), figures and their captions, furniture by class,
 * promo and "Read more" lines, paragraphs that are nothing but a link, and fragments that are
 * not prose (no closing punctuation, fewer than three words: datelines of a photo, labels).
 */
export function bodyParagraphs(root: DomElement): string[] {
  const units: Array<{ text: string; element: DomElement | null; heading: boolean }> = [];
  // Inline text is gathered across inline elements until the next block starts: broken markup
  // nests paragraphs in paragraphs, or in a <b>, and the text around them is still prose.
  let run = "";
  let inHeading = false;
  const flush = () => {
    const text = collapse(run);
    if (text) units.push({ text, element: null, heading: inHeading });
    run = "";
  };
  const skipped = (element: DomElement) =>
    SKIP.has(element.tagName.toUpperCase()) || (element !== root && FURNITURE.test(`${element.className} ${element.id}`));
  // Depth is bounded by parsePage, so recursion is safe here.
  const walk = (element: DomElement) => {
    for (const node of Array.from(element.childNodes)) {
      if (node.nodeType === 3) run += node.textContent ?? "";
      if (node.nodeType !== 1 || skipped(node as DomElement)) continue;
      const child = node as DomElement;
      const tag = child.tagName.toUpperCase();
      if (!BLOCK.has(tag)) {
        if (hasBlockInside(child)) walk(child);
        else run += child.textContent ?? "";
        continue;
      }
      flush();
      const outer = inHeading;
      inHeading ||= HEADING.test(tag);
      if (hasBlockInside(child)) walk(child);
      else units.push({ text: collapse(child.textContent), element: child, heading: inHeading });
      flush();
      inHeading = outer;
    }
  };
  walk(root);
  flush();
  const out: string[] = [];
  for (const { text, element, heading } of units) {
    if (!text) continue;
    if (heading && !isSentence(text)) continue;
    if (PROMO.test(text)) continue;
    if (element && isAllLink(element, text)) continue;
    if (!isProse(text)) continue;
    if (out[out.length - 1] === text) continue;
    out.push(text);
  }
  return out;
}

function hasBlockInside(element: DomElement): boolean {
  const stack = Array.from(element.children);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (BLOCK.has(next.tagName.toUpperCase())) return true;
    for (let i = 0; i < next.children.length; i++) stack.push(next.children[i]);
  }
  return false;
}

const SKIP = new Set(["FIGURE", "FIGCAPTION", "SCRIPT", "STYLE", "NOSCRIPT", "ASIDE", "NAV", "TEMPLATE", "BUTTON", "FORM"]);

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** A heading that is a full sentence of eight words or more is a paragraph set large. */
const isSentence = (text: string) => words(text) >= 8 && /[.!?…"”’)]$/.test(text);

/** Prose ends like a sentence and has a few words; labels and stray datelines do not. */
const isProse = (text: string) => words(text) >= 3 && /[.!?…"”’)\]:]$/.test(text);

function isAllLink(element: DomElement, text: string): boolean {
  const links = Array.from(element.querySelectorAll("a"));
  if (links.length === 0) return false;
  const linked = links.reduce((sum, link) => sum + collapse(link.textContent).length, 0);
  return linked >= text.length * 0.9;
}
