import { parentPort } from "node:worker_threads";

import { IngestionError } from "./errors";
import { checkArticleLimits } from "./limits";
import { parseArticle } from "./parse-article";

/**
 * The worker thread behind `ArticleParser`: parses one page at a time and checks the
 * article limits here, so a refused page never crosses back to the server's thread.
 */
parentPort?.on("message", ({ id, text }: { id: number; text: string }) => {
  try {
    const parsed = parseArticle(text);
    checkArticleLimits(parsed);
    parentPort!.postMessage({ id, parsed });
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    parentPort!.postMessage({
      id,
      error: { name: err.name, message: err.message, stack: err.stack, ingestion: error instanceof IngestionError },
    });
  }
});
