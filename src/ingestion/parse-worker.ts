import { parentPort } from "node:worker_threads";

import { IngestionError } from "./errors";
import { checkArticleLimits } from "./limits";
import { parseArticle } from "./parse-article";
import { parseHtmlArticle } from "./parse-html";
import { type ParseJob, type ParseOutcome } from "./parser-pool";

/**
 * The worker thread behind `ArticleParser`: parses one page at a time and checks the
 * article limits here, so a refused page never crosses back to the server's thread.
 */
parentPort?.on("message", ({ id, job }: { id: number; job: ParseJob }) => {
  try {
    const outcome: ParseOutcome = job.kind === "html" ? parseHtmlArticle(job.html, job.url) : { parsed: parseArticle(job.text) };
    checkArticleLimits(outcome.parsed);
    parentPort!.postMessage({ id, ...outcome });
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    parentPort!.postMessage({
      id,
      error: { name: err.name, message: err.message, stack: err.stack, ingestion: error instanceof IngestionError },
    });
  }
});
