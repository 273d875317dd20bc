import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { redactUrl } from "../../src/config";
import { type TableCount } from "../../src/db/copy";
import { type CorpusCounts, generateCorpus } from "./generator";
import { fire, LoadFailure, measure } from "./load";
import { OPERATIONS, requestBody } from "./operations";
import { type BenchmarkOptions, BenchmarkUsageError, parseCommandLine, resolveOptions, USAGE } from "./options";
import { BackendCpu, type BenchDatabase, copyCorpus, createBenchDatabase, PostgresUnavailable } from "./postgres";
import { type Machine, machine, renderMarkdown, type Row, type Run, summariseRows, summariseVariants, type VariantSummary } from "./report";
import { soak, type SoakResult } from "./soak";
import { evaluateTargets, type Target } from "./targets";
import { childVariant, compileVariants, ENGINE_VARIANTS, FLOORS, type Variant } from "./variants";
import { collectGolden, type GoldenCase, VerificationError, verifyVariant } from "./verify";
import { buildWorkload, type Workload } from "./workload";

/** How many different arguments each operation cycles through under load. */
const POOL_SIZE = 1000;

export interface BenchmarkResults {
  machine: Machine;
  startedAt: string;
  totalSeconds: number;
  options: Omit<BenchmarkOptions, "log">;
  corpus: CorpusCounts;
  /** The PostgreSQL copy of the corpus, with `--postgres`. */
  postgres: PostgresCopy | null;
  /** Every variant's answers to these requests equalled the floor's before it was measured. */
  verification: Verification[];
  runs: Run[];
  rows: Row[];
  variants: VariantSummary[];
  targets: Target[];
  soak: SoakResult | null;
  /** What differs between variants' requests, and anything left out of the equality check. */
  notes: string[];
  markdown: string;
}

export interface PostgresCopy {
  /** The database the run created and dropped. */
  database: string;
  tables: TableCount[];
  copySeconds: number;
}

interface Verification {
  variant: string;
  /** Answers compared with the floor's; all were equal, or the run stopped. */
  requests: number;
  equal: boolean;
  /** Operations left out of the comparison, with the reason (printed when the variant was checked). */
  excluded: Array<{ operation: string; reason: string }>;
}

/** Request bodies per operation key, in the order they are sent. */
type Bodies = Map<string, string[]>;

/** Databases to drop when the process is interrupted; the normal path drops them itself. */
const pendingCleanups = new Set<() => Promise<void>>();

/**
 * How fast is Newsgate, and how far from the fastest possible answer? Builds a corpus,
 * checks every variant answers exactly like the floor, then measures them one at a time,
 * interleaved, over several repeats; writes the JSON results and returns them.
 */
export async function runBenchmark(given: Partial<BenchmarkOptions> = {}): Promise<BenchmarkResults> {
  const options = resolveOptions(given);
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-bench-"));
  let database: BenchDatabase | undefined;
  let backendCpu: BackendCpu | null = null;
  try {
    const databasePath = path.join(dir, "corpus.sqlite");
    options.log(`generating ${options.stories} stories, ${options.speakers} speakers, ${options.publications} publications`);
    const corpus = await generateCorpus(databasePath, options, options.seed);
    const workload = buildWorkload(databasePath, POOL_SIZE, options.seed + 1);
    const postgres = options.postgres ? await copyToPostgres(databasePath, options) : null;
    if (postgres) {
      database = postgres.database;
      pendingCleanups.add(database.drop);
      backendCpu = await BackendCpu.open(options.postgresUrl, database.name);
      if (!backendCpu) options.log("postgres: its processes cannot be read here (not on this machine?): no DB CPU figures");
    }

    const names = [
      FLOORS.sqlite,
      ...ENGINE_VARIANTS.sqlite.filter((name) => options.variants.includes(name)),
      ...(postgres ? [FLOORS.postgres, ...ENGINE_VARIANTS.postgres.filter((name) => options.variants.includes(name))] : []),
    ];
    const launcher = compileVariants(options.log);
    const settings = { databasePath, databaseUrl: database?.url, cpuProfileDir: options.cpuProfileDir, launcher, log: options.log };
    const variants = names.map((name) => childVariant(name, settings));
    const bodies = new Map(variants.map((variant) => [variant.name, requestBodies(variant, workload)]));

    const { runs, verification } = await measureVariants(variants, bodies, workload, options, backendCpu);
    const soakResult = options.soakSeconds > 0 ? await soakNewsgate(variants, bodies.get("newsgate")!, options) : null;

    const rows = summariseRows(runs, names, OPERATIONS);
    const variantSummaries = summariseVariants(runs, names);
    const targets = evaluateTargets(rows, variantSummaries, soakResult);
    const totalSeconds = (Date.now() - started) / 1000;
    const { log: _log, ...recordedOptions } = options;
    const results: BenchmarkResults = {
      machine: machine(),
      startedAt: new Date(started).toISOString(),
      totalSeconds,
      // A password in the PostgreSQL URL stays out of the results file.
      options: { ...recordedOptions, postgresUrl: redactUrl(options.postgresUrl) },
      corpus,
      postgres: postgres && { database: postgres.database.name, tables: postgres.tables, copySeconds: postgres.copySeconds },
      verification,
      runs,
      rows,
      variants: variantSummaries,
      targets,
      soak: soakResult,
      notes: notesOf(variants, verification, options),
      markdown: "",
    };
    results.markdown = renderMarkdown(results);
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await backendCpu?.close().catch(() => undefined);
    if (database) {
      pendingCleanups.delete(database.drop);
      await database
        .drop()
        .catch((error: unknown) => options.log(`postgres: could not drop ${database!.name}: ${(error as Error).message}`));
    }
  }
}

/**
 * A fresh database, the corpus copied in with Newsgate's copy module (same rows, same ids)
 * and ANALYZEd. A failure drops the database before it is reported.
 */
async function copyToPostgres(
  databasePath: string,
  options: BenchmarkOptions,
): Promise<{ database: BenchDatabase; tables: TableCount[]; copySeconds: number }> {
  const database = await createBenchDatabase(options.postgresUrl);
  pendingCleanups.add(database.drop);
  try {
    const started = Date.now();
    options.log(`postgres: copying the corpus into ${database.name}`);
    const tables = await copyCorpus(databasePath, database.url, options.log);
    const copySeconds = (Date.now() - started) / 1000;
    options.log(
      `postgres: ${tables.reduce((sum, table) => sum + table.target, 0)} rows copied and analysed in ${copySeconds.toFixed(1)} s`,
    );
    return { database, tables, copySeconds };
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  } finally {
    pendingCleanups.delete(database.drop);
  }
}

/**
 * The response-cache variant is measured on its warm path: a small set of requests that the
 * warm-up has already answered, so the measured window is (nearly) all cache hits.
 */
const WARM_SET = 50;

/** What each request of each operation looks like for `variant`: Newsgate's document, or its own. */
function requestBodies(variant: Variant, workload: Workload): Bodies {
  const { dialect } = variant;
  const warmOnly = variant.name === "newsgate-cached";
  const neverWarm = variant.name === "newsgate-cache-miss";
  return new Map(
    OPERATIONS.map((operation) => {
      const variables = operation.variables(workload);
      if (neverWarm) {
        // A variable the operation does not declare changes the cache key, not the answer:
        // every request is a miss that is then stored.
        const bodies = Array.from({ length: MISS_BODIES }, (_, i) =>
          requestBody(operation, { ...variables[i % variables.length], benchNonce: i }),
        );
        return [operation.key, bodies];
      }
      const bodies = variables.map((v) => (dialect ? dialect.requestBody(operation, v) : requestBody(operation, v)));
      return [operation.key, warmOnly ? bodies.slice(0, WARM_SET) : bodies];
    }),
  );
}

/** More distinct requests than any operation is sent in one window, so none repeats. */
const MISS_BODIES = 50_000;

function notesOf(variants: readonly Variant[], verification: readonly Verification[], options: BenchmarkOptions): string[] {
  const notes: string[] = [];
  if (options.postgres) {
    notes.push(
      "PostgreSQL runs on the same machine and competes with the server and the load generator for the same cores. Its backends' " +
        "CPU time is not in a variant's CPU ms/req but in DB CPU ms/req (read from /proc for the backends of the benchmark's database); " +
        "on SQLite the database works inside the server process, so its CPU ms/req holds both.",
    );
  }
  for (const variant of variants) notes.push(...(variant.dialect?.notes ?? []));
  for (const { variant, excluded } of verification) {
    for (const { operation, reason } of excluded) notes.push(`${variant}, ${operation}: not in the equality check: ${reason}`);
  }
  return notes;
}

/**
 * Every variant, every operation, every repeat, one server at a time. The first repeat
 * starts with the floor, whose answers are the golden output; each other variant is checked
 * against them before its first measurement.
 */
async function measureVariants(
  variants: Variant[],
  bodies: Map<string, Bodies>,
  workload: Workload,
  options: BenchmarkOptions,
  backendCpu: BackendCpu | null,
): Promise<{ runs: Run[]; verification: Verification[] }> {
  let golden: GoldenCase[] = [];
  const verification: Verification[] = [];
  const runs: Run[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    // Rotating the order spreads the slow drifts of a shared machine over all variants alike.
    for (const variant of rotate(variants, repeat)) {
      const server = await variant.start();
      try {
        if (repeat === 0 && variant.name === FLOORS.sqlite) {
          golden = await collectGolden(server.url, OPERATIONS, workload);
        } else if (repeat === 0) {
          const { requests, excluded } = await verifyVariant(variant.name, server.url, golden, variant.dialect);
          for (const { operation, reason } of excluded)
            options.log(`${variant.name}: ${operation} left out of the equality check: ${reason}`);
          verification.push({ variant: variant.name, requests, equal: true, excluded });
          options.log(`${variant.name}: ${requests} answers equal the floor's`);
        }
        const onPostgres = variant.engine === "postgres";
        const load = onPostgres ? { ...options, ...options.postgresLoad } : options;
        const dbCpu = onPostgres ? (backendCpu ?? undefined) : undefined;
        for (const operation of OPERATIONS) {
          const requests = bodies.get(variant.name)!.get(operation.key)!;
          const measurement = await measure(server.url, requests, load, dbCpu).catch((error: unknown) => {
            throw error instanceof LoadFailure ? new LoadFailure(`${variant.name}, ${operation.label}: ${error.message}`) : error;
          });
          runs.push({ repeat, variant: variant.name, operation: operation.key, measurement });
          options.log(
            `repeat ${repeat + 1}/${options.repeats} ${variant.name} ${operation.label}: ${Math.round(measurement.requestsPerSecond)} req/s, ` +
              `${measurement.sqlPerRequest?.toFixed(1) ?? "n/a"} SQL/req`,
          );
        }
      } finally {
        await server.stop();
      }
    }
  }
  return { runs, verification };
}

/** Newsgate under every operation at once, to see whether memory keeps growing. */
async function soakNewsgate(variants: Variant[], bodies: Bodies, options: BenchmarkOptions): Promise<SoakResult> {
  const newsgate = variants.find((variant) => variant.name === "newsgate")!;
  const lists = [...bodies.values()];
  const mixed = lists[0].flatMap((_, index) => lists.map((list) => list[index % list.length]));
  const server = await newsgate.start();
  try {
    options.log(`soak: newsgate for ${options.soakSeconds} s`);
    if (options.warmupSeconds > 0) await fire(server.url, mixed, options.connections, options.warmupSeconds);
    return await soak(server.url, mixed, options.connections, options.soakSeconds);
  } finally {
    await server.stop();
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Ctrl-C skips the finally blocks: drop the PostgreSQL database here. The variants' child
  // processes exit by themselves when their stdin (this process) goes away.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}, cleaning up\n`);
      void Promise.allSettled([...pendingCleanups].map((cleanup) => cleanup())).then(() => process.exit(130));
    });
  }
  const results = await runBenchmark(parseCommandLine(process.argv.slice(2)));
  process.stdout.write(`${results.markdown}\n\nResults: ${results.options.out}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const expected =
      error instanceof BenchmarkUsageError ||
      error instanceof VerificationError ||
      error instanceof LoadFailure ||
      error instanceof PostgresUnavailable;
    process.stderr.write(`bench: ${expected ? (error as Error).message : error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
