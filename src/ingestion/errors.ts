/** Ingestion's own failures; the API edge maps them to GraphQL errors, the CLI to one line. */
export class IngestionError extends Error {
  override name = "IngestionError";
}

/** The text is not an article page we can read (no headline, no body). */
export class ArticleFormatError extends IngestionError {
  override name = "ArticleFormatError";
}
