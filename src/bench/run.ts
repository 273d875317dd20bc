import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { type CorpusCounts, generateCorpus } from "./generator";
import { fire, LoadFailure, measure } from "./load";
import { OPERATIONS, requestBody } from "./operations";
import { type BenchmarkOptions, BenchmarkUsageError, parseCommandLine, resolveOptions, USAGE } from "./options";
import { type Machine, machine, renderMarkdown, type Row, type Run, summariseRows, summariseVariants, type VariantSummary } from "./report";
import { soak, type SoakResult } from "./soak";
import { evaluateTargets, type Target } from "./targets";
import { childVariant, type Variant } from "./variants";
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
  /** Every variant's answers to these requests equalled the floor's before it was measured. */
  verification: Verification[];
  runs: Run[];
  rows: Row[];
  variants: VariantSummary[];
  targets: Target[];
  soak: SoakResult | null;
  markdown: string;
}

interface Verification {
  variant: string;
  requests: number;
  equal: boolean;
}

/** Request bodies per operation key, in the order they are sent. */
type Bodies = Map<string, string[]>;

/**
 * How fast is Newsgate, and how far from the fastest possible answer? Builds a corpus,
 * checks every variant answers exactly like the floor, then measures them one at a time,
 * interleaved, over several repeats; writes the JSON results and returns them.
 */
export async function runBenchmark(given: Partial<BenchmarkOptions> = {}): Promise<BenchmarkResults> {
  const options = resolveOptions(given);
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-bench-"));
  try {
    const databasePath = path.join(dir, "corpus.sqlite");
    options.log(`generating ${options.stories} stories, ${options.speakers} speakers, ${options.publications} publications`);
    const corpus = await generateCorpus(databasePath, options, options.seed);
    const workload = buildWorkload(databasePath, POOL_SIZE, options.seed + 1);
    const bodies: Bodies = new Map(
      OPERATIONS.map((operation) => [operation.key, operation.variables(workload).map((v) => requestBody(operation, v))]),
    );
    const names = ["floor", ...options.variants];
    const variants = names.map((name) => childVariant(name, { databasePath, cpuProfileDir: options.cpuProfileDir, log: options.log }));

    const { runs, verification } = await measureVariants(variants, bodies, workload, options);
    const soakResult = options.soakSeconds > 0 ? await soakNewsgate(variants, bodies, options) : null;

    const rows = summariseRows(runs, names, OPERATIONS);
    const variantSummaries = summariseVariants(runs, names);
    const targets = evaluateTargets(rows, variantSummaries, soakResult);
    const totalSeconds = (Date.now() - started) / 1000;
    const { log: _log, ...recordedOptions } = options;
    const results: BenchmarkResults = {
      machine: machine(),
      startedAt: new Date(started).toISOString(),
      totalSeconds,
      options: recordedOptions,
      corpus,
      verification,
      runs,
      rows,
      variants: variantSummaries,
      targets,
      soak: soakResult,
      markdown: "",
    };
    results.markdown = renderMarkdown(results);
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every variant, every operation, every repeat, one server at a time. The first repeat
 * starts with the floor, whose answers are the golden output; each other variant is checked
 * against them before its first measurement.
 */
async function measureVariants(
  variants: Variant[],
  bodies: Bodies,
  workload: Workload,
  options: BenchmarkOptions,
): Promise<{ runs: Run[]; verification: Verification[] }> {
  let golden: GoldenCase[] = [];
  const verification: Verification[] = [];
  const runs: Run[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    // Rotating the order spreads the slow drifts of a shared machine over all variants alike.
    for (const variant of rotate(variants, repeat)) {
      const server = await variant.start();
      try {
        if (repeat === 0 && variant.name === "floor") {
          golden = await collectGolden(server.url, OPERATIONS, workload);
        } else if (repeat === 0) {
          await verifyVariant(variant.name, server.url, golden);
          verification.push({ variant: variant.name, requests: golden.length, equal: true });
          options.log(`${variant.name}: ${golden.length} answers equal the floor's`);
        }
        for (const operation of OPERATIONS) {
          const measurement = await measure(server.url, bodies.get(operation.key)!, options).catch((error: unknown) => {
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
  const results = await runBenchmark(parseCommandLine(process.argv.slice(2)));
  process.stdout.write(`${results.markdown}\n\nResults: ${results.options.out}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const expected = error instanceof BenchmarkUsageError || error instanceof VerificationError || error instanceof LoadFailure;
    process.stderr.write(`bench: ${expected ? (error as Error).message : error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
