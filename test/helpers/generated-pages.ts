/**
 * Pages of a given size in the aggregator's layout, built to stress the parser: a bullet
 * packed with attributed quotes, a bullet of bare two-letter quotes, and a page where every
 * quote has a new speaker. Used to check that parse time grows linearly with page length.
 */
const TOP = ["Get all your news in one place.", "100’s of premium titles.", "One app.", "Start reading"];

/** A page in the aggregator's layout with these body units under this headline. */
export function page(units: string[], headline = "A generated page"): string {
  return [
    ...TOP,
    "The Test Ledger - UK",
    "The Test Ledger - UK",
    "World",
    "Ledger staff",
    "",
    headline,
    "",
    ...units.flatMap((unit) => [`  • ${unit}`, ""]),
    "Sign up to read this article",
  ].join("\n");
}

/** Letters for the n-th generated name, so every speaker is new: 0 → "Ba", 1 → "Be", … */
function syllables(n: number): string {
  const consonants = "bdfgklmnprtv";
  const vowels = "aeiou";
  let out = "";
  let k = n;
  do {
    out += consonants[k % consonants.length] + vowels[Math.floor(k / consonants.length) % vowels.length];
    k = Math.floor(k / (consonants.length * vowels.length));
  } while (k > 0);
  return out[0].toUpperCase() + out.slice(1);
}

export type PageShape = "attributed-quotes" | "bare-pairs" | "new-speakers";

/** A page of about `size` characters; `quotes` is how many quotes the parser should find. */
export function generatedPage(shape: PageShape, size: number): { text: string; quotes: number; speakers: number } {
  if (shape === "attributed-quotes") {
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < size; i++) {
      const part = i === 0 ? "Minister Ana Vesk said: “We will hold the line.”" : `“Point ${i} stands,” she said.`;
      parts.push(part);
      length += part.length + 1;
    }
    return { text: page([parts.join(" ")]), quotes: parts.length, speakers: 1 };
  }
  if (shape === "bare-pairs") {
    const count = Math.floor(size / 5);
    return { text: page([Array.from({ length: count }, () => "“ab”").join(" ")]), quotes: 0, speakers: 0 };
  }
  const units: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const unit = `“We stand by the decision,” said Mara ${syllables(i)}lund, a councillor.`;
    units.push(unit);
    length += unit.length + 6;
  }
  return { text: page(units), quotes: units.length, speakers: units.length };
}
