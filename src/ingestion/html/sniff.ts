/**
 * Is this content an HTML page rather than a captured text page? Decided by the content, not
 * the file name: a doctype or `<html>` anywhere near the top, or content that opens with a
 * tag and carries several common HTML tags (a fragment saved without its `<html>`). A text
 * page quoting a tag or two in a paragraph does not start with one.
 */
export function looksLikeHtml(content: string): boolean {
  const head = content.slice(0, 64 * 1024).replace(/^\uFEFF/, "");
  if (/<!doctype\s+html|<html[\s>]/i.test(head)) return true;
  if (!head.trimStart().startsWith("<")) return false;
  const tags = head.match(/<\/?(?:head|body|meta|title|div|p|article|section|span|a|br|h[1-6]|main|header|script)\b[^>]*>/gi);
  return (tags?.length ?? 0) >= 3;
}
