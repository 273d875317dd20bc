/**
 * How deeply a request's variables may nest (lists in lists, objects in objects). No input
 * type of the schema nests more than a few levels; a variable nested thousands deep only
 * makes the layers that walk it recurse until the stack gives out.
 */
export const MAX_VARIABLE_DEPTH = 32;

/**
 * Why a request's variables or document cannot be run, or null. Checked before anything
 * walks them, on both databases alike:
 * - variables nested deeper than MAX_VARIABLE_DEPTH;
 * - a NUL character in any string, in a variable or a literal of the document
 *   (PostgreSQL cannot store or compare text holding one; no real name, slug or search has one).
 * Walks iteratively, so the walk itself cannot overflow the stack.
 */
export function inputProblem(body: { query?: unknown; variables?: unknown }): string | null {
  if (typeof body.query === "string" && /\\u0000|\\u\{0+\}/i.test(body.query)) return "A string in the document holds a NUL character";
  const stack: Array<[unknown, number]> = [[body.variables, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return "A variable holds a NUL character";
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_VARIABLE_DEPTH) return `Variables nest deeper than ${MAX_VARIABLE_DEPTH} levels`;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return null;
}
