/**
 * Generated article pages of the shapes that once froze the server: they are valid pages
 * (publication, headline, "•" bullets) whose body is made to stress one part of ingestion.
 */
const HEADER = (headline: string) =>
  ["The Northern Ledger - UK", "The Northern Ledger - UK", "World", "Ledger staff", "", headline, ""].join("\n");

const bullet = (text: string) => `  • ${text}\n`;

/** Pads a page with plain sentences up to `chars` characters. */
function pad(page: string, chars: number): string {
  const filler = bullet("The council met again on Tuesday and agreed to publish the figures next week.");
  return page + filler.repeat(Math.max(0, Math.floor((chars - page.length) / filler.length)));
}

/** `quotes` attributed quotes, `perBullet` to a bullet, by a handful of speakers. */
export function manyQuotesPage(quotes: number, perBullet: number, headline = `Quote storm ${quotes}`): string {
  const speakers = ["Ana Vesk", "Garrett Voss", "Teodor Ortan", "Mira Halden"];
  let page = HEADER(headline);
  for (let start = 0; start < quotes; start += perBullet) {
    const parts: string[] = [];
    for (let i = start; i < Math.min(quotes, start + perBullet); i++)
      parts.push(`“We will hold the line number ${i},” said ${speakers[i % speakers.length]}.`);
    page += bullet(parts.join(" "));
  }
  return page;
}

/** One bullet of many attributed quotes, padded to about `chars`. */
export function oneBulletPage(chars: number): string {
  const speakers = ["Ana Vesk", "Garrett Voss"];
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < chars - 200; i++) {
    const part = `“We hold ${i},” said ${speakers[i % 2]}.`;
    parts.push(part);
    length += part.length + 1;
  }
  return HEADER("One long bullet") + bullet(parts.join(" "));
}

/** Many short `“ab”` pairs, about `chars` characters. */
export function shortPairsPage(chars: number): string {
  const pairs = "“ab” ".repeat(Math.floor((chars - 200) / 5));
  return HEADER("Short pairs") + bullet(pairs);
}

/** Many distinct new speakers, each quoted once, about `chars` characters. */
export function manySpeakersPage(chars: number): string {
  let page = HEADER("Every voice");
  for (let i = 0; page.length < chars - 200; i++) page += bullet(`“Count me in,” said Speaker ${name(i)} of Lisvar.`);
  return page;
}

/** A distinct capitalised surname per number (names with digits are not names). */
function name(n: number): string {
  const letters = "bcdfghklmnprstvz";
  let out = "";
  do {
    out += letters[n % letters.length];
    n = Math.floor(n / letters.length);
  } while (n > 0);
  return "Va" + out + "ner";
}

export { pad };
