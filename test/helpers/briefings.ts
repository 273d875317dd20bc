/**
 * Small article pages written for tests, in the shape the parser reads: publication line,
 * section, byline, headline, then bullets. Every name and quote here is invented.
 */
export function briefing(spec: { publication: string; headline: string; bullets: string[] }): string {
  return [
    `${spec.publication} - UK`,
    "World",
    "Staff and agencies",
    "",
    spec.headline,
    "",
    ...spec.bullets.map((bullet) => `  • ${bullet}\n`),
  ].join("\n");
}

export const INGEST = `mutation($input: IngestArticleInput!) {
  ingestArticle(input: $input) { story { id slug publication { slug } quotes { id text reviewState speaker { id name } } } }
}`;
