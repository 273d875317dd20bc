import { ArticleFormatError } from "../errors";

// linkedom ships CommonJS for `require` but declares only its ES module types, which a
// CommonJS project may not import; the one function used is typed here instead.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseHTML } = require("linkedom") as { parseHTML: (html: string) => { document: unknown } };

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
 * Parses a page with the limits that keep extraction linear and bounded: the size is checked
 * before parsing, and depth and element count right after (iteratively, so a 100 000-deep
 * page cannot overflow the stack of the check itself).
 */
export function parsePage(html: string): DomDocument {
  const bytes = Buffer.byteLength(html, "utf8");
  if (bytes > MAX_HTML_BYTES)
    throw new ArticleFormatError(`the HTML page is ${bytes} bytes, over the limit of ${MAX_HTML_BYTES} bytes (5 MB)`);
  const { document } = parseHTML(html) as unknown as { document: DomDocument };
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

/** Text as a reader sees it: whitespace (non-breaking spaces included) collapsed. */
export function collapse(text: string | null | undefined): string {
  return (text ?? "").replace(/[\s\u00a0]+/g, " ").trim();
}
