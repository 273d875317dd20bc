import { collapse, type DomElement } from "./dom";

/** Blocks that hold prose. A block holding another block is a container: its children are the units. */
const BLOCK = new Set(["P", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "DD", "DT", "PRE", "TD", "TH", "DIV", "SECTION", "ARTICLE", "FIGCAPTION"]);
const HEADING = /^H[1-6]$/;

/** Furniture inside articles, by class or id: captions, credits, share bars, promos, newsletter boxes. */
const FURNITURE = /(^|[\s_-])(caption|credit|share|sharing|social|promo|related|newsletter|signup|sign-up|advert|ad-container|tools|toolbar|byline|author-bio|bio|tags|breadcrumb|highlights?|inline-video|video-teaser|subscribe)([\s_-]|$)/i;

/** Paragraphs that only point elsewhere: "Read more: …", "[Read: …]", "See also …", "Video: …". */
const PROMO = /^(?:\[[^\]]*\]|read more\b.*|see also\b.*|related:.*|more:.*|video:.*|watch:.*|listen:.*|click here\b.*|sign up\b.*|follow (?:us|me)\b.*|share this\b.*)$/i;

/**
 * The article's body as paragraphs, in order, from Readability's content tree. A paragraph is
 * a leaf block (one that holds no other block). Dropped: headings (unless a site sets whole
 * sentences in them, as BuzzFeed does), figures and their captions, furniture by class,
 * promo and "Read more" lines, paragraphs that are nothing but a link, and fragments that are
 * not prose (no closing punctuation, fewer than three words: datelines of a photo, labels).
 */
export function bodyParagraphs(root: DomElement): string[] {
  const out: string[] = [];
  const stack: DomElement[] = [root];
  const leaves: DomElement[] = [];
  while (stack.length > 0) {
    const element = stack.pop()!;
    const tag = element.tagName.toUpperCase();
    if (tag === "FIGURE" || tag === "FIGCAPTION" || tag === "SCRIPT" || tag === "STYLE" || tag === "NOSCRIPT" || tag === "ASIDE" || tag === "NAV")
      continue;
    if (element !== root && FURNITURE.test(`${element.className} ${element.id}`)) continue;
    const children = Array.from(element.children);
    const hasBlockChild = children.some((child) => BLOCK.has(child.tagName.toUpperCase()));
    if (BLOCK.has(tag) && !hasBlockChild) {
      leaves.push(element);
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  for (const element of leaves) {
    const text = collapse(element.textContent);
    if (!text) continue;
    const tag = element.tagName.toUpperCase();
    if (HEADING.test(tag) && !isSentence(text)) continue;
    if (PROMO.test(text)) continue;
    if (isAllLink(element, text)) continue;
    if (!isProse(text)) continue;
    if (out[out.length - 1] === text) continue;
    out.push(text);
  }
  return out;
}

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
