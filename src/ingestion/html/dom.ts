import { ArticleFormatError } from "../errors";

type ParseHtml = (html: string) => { document: unknown };
let loadedParseHtml: ParseHtml | null = null;

/**
 * linkedom ships CommonJS for `require` but declares only its ES module types, which a
 * CommonJS project may not import, so the one function used is typed here. It is loaded on
 * first use: the server and every CLI import ingestion, and most of them never parse HTML.
 */
function parseHTML(html: string): { document: unknown } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedParseHtml ??= (require("linkedom") as { parseHTML: ParseHtml }).parseHTML;
  return loadedParseHtml(html);
}

/**
 * The few DOM members extraction uses. The project compiles without the DOM lib, and
 * linkedom's own types describe its internals, so the shape we rely on is written down here.
 */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  parentNode: DomNode | null;
  childNodes: ArrayLike<DomNode>;
}

export interface DomElement extends DomNode {
  tagName: string;
  id: string;
  className: string;
  children: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
  remove(): void;
}

export interface DomDocument {
  documentElement: DomElement | null;
  head: DomElement | null;
  body: DomElement | null;
  title: string;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

/** Real article pages run to 1–2 MB (the Guardian's is 1.2 MB); five times that is not a page. */
export const MAX_HTML_BYTES = 5 * 1024 * 1024;
/** Browsers nest a few dozen levels on real pages; thousands is an attack on recursive walkers. */
export const MAX_DEPTH = 400;
/** Elements in one page: real pages have a few thousand to ~30 000. */
export const MAX_ELEMENTS = 150_000;

/**
 * Parses a page with the limits that keep extraction linear and bounded: size and nesting are
 * checked before parsing, depth and element count again on the tree (iteratively, so a
 * 100 000-deep page cannot overflow the stack of the check itself).
 */
export function parsePage(html: string): DomDocument {
  const bytes = Buffer.byteLength(html, "utf8");
  if (bytes > MAX_HTML_BYTES)
    throw new ArticleFormatError(`the HTML page is ${bytes} bytes, over the limit of ${MAX_HTML_BYTES} bytes (5 MB)`);
  if (nestingEstimate(html) > MAX_DEPTH) throw new ArticleFormatError(`the HTML page nests elements more than ${MAX_DEPTH} deep`);
  if (!html.trim()) throw new ArticleFormatError("the HTML page is empty");
  let { document } = parseHTML(html) as unknown as { document: DomDocument };
  // A fragment without <html> (or only text) gets one, as a browser would give it.
  if (document.documentElement?.tagName.toUpperCase() !== "HTML")
    document = (parseHTML(`<!DOCTYPE html><html>${html}</html>`) as unknown as { document: DomDocument }).document;
  const root = document.documentElement;
  if (!root) throw new ArticleFormatError("the HTML page has no document element");
  let elements = 0;
  const stack: Array<[DomElement, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) throw new ArticleFormatError(`the HTML page nests elements more than ${MAX_DEPTH} deep`);
    if (++elements > MAX_ELEMENTS) throw new ArticleFormatError(`the HTML page has more than ${MAX_ELEMENTS} elements`);
    const children = element.children;
    for (let i = 0; i < children.length; i++) stack.push([children[i], depth + 1]);
  }
  return document;
}

const VOID = new Set(
  "area base br col embed hr img input link meta param source track wbr keygen command basefont frame isindex".split(" "),
);
/** Elements whose end tag may be left out: a page that never closes its <p>s is not deep. */
const OPTIONAL_END = new Set(
  "p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rb rt rp rtc html head body".split(" "),
);
const TAG =
  /<!--[\s\S]*?(?:-->|$)|<(script|style|textarea|title|xmp|noscript|template)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

/**
 * How deep the page's tags nest, from one linear scan of the source. The HTML parser keeps
 * its open-element stack in an array it shifts on every tag, so a page nested 100 000 deep
 * costs it quadratic time (seconds to minutes); this scan refuses such a page before that.
 * Raw-text elements and comments are skipped; unclosed elements only ever overcount.
 */
export function nestingEstimate(html: string): number {
  let depth = 0;
  let max = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    const name = match[3]?.toLowerCase();
    if (!name || VOID.has(name) || OPTIONAL_END.has(name)) continue;
    if (match[2]) depth = Math.max(0, depth - 1);
    else if (!/\/\s*$/.test(match[4])) max = Math.max(max, ++depth);
  }
  return max;
}

/** Text as a reader sees it: whitespace (non-breaking spaces included) collapsed. */
export function collapse(text: string | null | undefined): string {
  return (text ?? "").replace(/[\s\u00a0]+/g, " ").trim();
}
