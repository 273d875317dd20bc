import "reflect-metadata";

import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { ConfigError, loadConfig } from "../config";
import { DatabaseError, openDatabase } from "../db/database";
import { afterCommit } from "../events/effects";
import { EventBus } from "../events/event-bus";
import { IngestionError } from "../ingestion/errors";
import { looksLikeHtml } from "../ingestion/html/sniff";
import { ingestArticle, ingestHtmlArticle } from "../ingestion/ingest";
import { articleParser } from "../ingestion/parser-pool";
import { dataSourceSettings } from "../../ormconfig";

const USAGE = "usage: npm run ingest -- FILE... [--publication SLUG] [--published-at ISO-8601] [--canonical-url URL] [--url URL]";

/**
 * `npm run ingest -- FILE…`: each file in its own transaction, a line of progress per file
 * and a summary. Exits 1 if any file failed (the others are still stored). A file is read as
 * a publisher's HTML page or a captured text page by its content, whatever its name;
 * `--url` is where a single HTML page came from.
 */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        publication: { type: "string" },
        "published-at": { type: "string" },
        "canonical-url": { type: "string" },
        url: { type: "string" },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
  const files = args.positionals;
  if (files.length === 0) return fail(USAGE);
  const publishedAt = args.values["published-at"] ? new Date(args.values["published-at"]) : null;
  if (publishedAt && Number.isNaN(publishedAt.getTime()))
    return fail(`--published-at "${args.values["published-at"]}" is not a date (use ISO 8601)`);
  const canonicalUrl = args.values["canonical-url"] ?? null;
  if (canonicalUrl && files.length > 1) return fail("--canonical-url names one story; give one file with it");
  const url = args.values.url ?? null;
  if (url && files.length > 1) return fail("--url is where one page came from; give one file with it");
  if (url && !/^https?:\/\/\S+$/i.test(url)) return fail(`--url "${url}" is not an http(s) URL`);

  const config = loadConfig();
  articleParser.configure({ timeoutMs: config.ingestParseTimeoutMs });
  const dataSource = await openDatabase(dataSourceSettings(config));
  // With Redis, subscribers on every replica hear about what this command stores.
  const events = config.redisUrl ? await EventBus.redis(config.redisUrl) : null;
  let created = 0;
  let updated = 0;
  let failed = 0;
  try {
    for (const [index, file] of files.entries()) {
      const label = `[${index + 1}/${files.length}] ${path.basename(file)}`;
      let text: string;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch (error) {
        failed++;
        process.stderr.write(`${label}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
        continue;
      }
      try {
        const meta = { publication: args.values.publication ?? null, canonicalUrl, publishedAt };
        const { parsed, summary: s } = looksLikeHtml(text)
          ? await ingestHtmlArticle(dataSource, text, { ...meta, url })
          : await ingestArticle(dataSource, text, meta);
        // Replicas drop their cached responses when they hear these events.
        if (events) await afterCommit(events.pubSub, s.effects);
        if (s.created) created++;
        else updated++;
        process.stdout.write(
          `${label}: ${s.created ? "new" : "updated"} story "${parsed.headline}": 1 story, ${s.bullets} bullets, ${s.quotes} quotes, ` +
            `${s.speakersNew + s.speakersMatched} speakers (${s.speakersNew} new, ${s.speakersMatched} matched)\n`,
        );
      } catch (error) {
        if (!(error instanceof IngestionError)) throw error;
        failed++;
        process.stderr.write(`${label}: not stored: ${error.message}\n`);
      }
    }
  } finally {
    await events?.close();
    await dataSource.destroy();
  }
  process.stdout.write(`${files.length} file(s): ${created} new, ${updated} updated, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

function fail(message: string): number {
  process.stderr.write(`ingest: ${message}\n`);
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      if (error instanceof ConfigError || error instanceof DatabaseError) process.stderr.write(`ingest: ${error.message}\n`);
      else process.stderr.write(`ingest: failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
