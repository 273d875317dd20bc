import path from "node:path";
import { Worker } from "node:worker_threads";

import { IngestionError } from "./errors";
import { type ExtractedArticle } from "./html/extract-article";
import { ArticleLimitError, checkPageText } from "./limits";
import { type ParsedStory } from "./types";

export interface ArticleParserOptions {
  /** A page still parsing after this long is refused and its worker replaced. */
  timeoutMs: number;
}

/** What the worker is asked to parse: a captured page's text, or a publisher's HTML page. */
export type ParseJob = { kind: "text"; text: string } | { kind: "html"; html: string; url: string | null };

/** What it answers: the story, and for an HTML page the fields extracted from the page. */
export interface ParseOutcome {
  parsed: ParsedStory;
  page?: ExtractedArticle;
}

interface Task {
  id: number;
  job: ParseJob;
  resolve(outcome: ParseOutcome): void;
  reject(error: Error): void;
}

type Reply = ({ id: number } & ParseOutcome) | { id: number; error: { name: string; message: string; stack?: string; ingestion: boolean } };

/**
 * Parses pages on a worker thread, one at a time, so a big page never blocks the server's
 * event loop (requests, health checks, subscriptions keep being answered meanwhile). The
 * worker starts on first use and is unref'd while idle, so it never keeps a process alive.
 *
 * From TypeScript sources (tsx, jest) the worker loads its .ts entry through tsx's require
 * hook; from the compiled dist/ it loads the .js next to this file.
 */
export class ArticleParser {
  private worker: Worker | null = null;
  private readonly queue: Task[] = [];
  private running: { task: Task; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;

  constructor(private options: ArticleParserOptions) {}

  configure(options: Partial<ArticleParserOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Page text → ParsedStory within the article limits, or an IngestionError. */
  async parse(text: string): Promise<ParsedStory> {
    checkPageText(text);
    return (await this.run({ kind: "text", text })).parsed;
  }

  /** An HTML page → its extracted fields and ParsedStory, within the same limits (the HTML size limit is checked in the worker). */
  async parseHtml(html: string, url: string | null): Promise<Required<ParseOutcome>> {
    const outcome = await this.run({ kind: "html", html, url });
    return { parsed: outcome.parsed, page: outcome.page! };
  }

  private run(job: ParseJob): Promise<ParseOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker (shutdown); pages waiting are refused. */
  async close(): Promise<void> {
    for (const task of this.queue.splice(0)) task.reject(new IngestionError("the server is shutting down"));
    const worker = this.worker;
    this.worker = null;
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.task.reject(new IngestionError("the server is shutting down"));
      this.running = null;
    }
    await worker?.terminate();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const task = this.queue.shift()!;
    const worker = this.ensureWorker();
    worker.ref();
    const timer = setTimeout(() => {
      if (this.running?.task !== task) return;
      this.running = null;
      // A page that takes this long would take the worker with it; a fresh one serves the next.
      this.worker = null;
      void worker.terminate();
      task.reject(new ArticleLimitError(`the page took longer than ${this.options.timeoutMs} ms to parse; split it into smaller articles`));
      this.pump();
    }, this.options.timeoutMs);
    this.running = { task, timer };
    worker.postMessage({ id: task.id, job: task.job });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const typescript = path.extname(__filename) === ".ts";
    const worker = new Worker(path.join(__dirname, `parse-worker${typescript ? ".ts" : ".js"}`), {
      execArgv: typescript ? ["--require", require.resolve("tsx/cjs")] : [],
    });
    worker.on("message", (reply: Reply) => this.settle(worker, reply));
    worker.on("error", (error) => this.fail(worker, error));
    worker.on("exit", (code) => {
      if (this.worker === worker) this.fail(worker, new Error(`the parser worker exited with code ${code}`));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, reply: Reply): void {
    const running = this.running;
    if (!running || running.task.id !== reply.id) return;
    clearTimeout(running.timer);
    this.running = null;
    worker.unref();
    if ("parsed" in reply) running.task.resolve({ parsed: reply.parsed, page: reply.page });
    else {
      const error = reply.error.ingestion ? new IngestionError(reply.error.message) : new Error(reply.error.message);
      error.name = reply.error.name;
      if (reply.error.stack) error.stack = reply.error.stack;
      running.task.reject(error);
    }
    this.pump();
  }

  /** The worker died (out of memory, a bug): the page it held fails, the next gets a new worker. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    const running = this.running;
    if (running) {
      clearTimeout(running.timer);
      this.running = null;
      running.task.reject(error);
    }
    this.pump();
  }
}

/** Default for the process; `configureArticleParser` applies the server's or CLI's config. */
export const DEFAULT_PARSE_TIMEOUT_MS = 10_000;

/** The process's one parser: the server and the CLI share it, so pages parse one at a time. */
export const articleParser = new ArticleParser({ timeoutMs: DEFAULT_PARSE_TIMEOUT_MS });
