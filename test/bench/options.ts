import path from "node:path";
import { parseArgs } from "node:util";

import { type CorpusSize } from "./generator";
import { type LoadSettings } from "./load";
import { CHILD_VARIANTS, engineOf, isFloor } from "./variants";

/** The benchmark's settings: defaults per size, overridden by flags or by `runBenchmark`'s caller. */

const REPO_ROOT = path.resolve(__dirname, "../..");

type Windows = Pick<LoadSettings, "warmupSeconds" | "durationSeconds">;

interface Size extends CorpusSize, Windows {
  /** The PostgreSQL variants' windows, where they differ. */
  postgresLoad?: Windows;
}

const SIZES: Record<"default" | "small", Size> = {
  // Sized so that the whole default run (three variants, three repeats) stays under eight
  // minutes, and near ten with --postgres: copying the corpus takes under a minute, and the
  // three PostgreSQL variants get shorter windows.
  default: {
    publications: 50,
    stories: 10_000,
    speakers: 5_000,
    warmupSeconds: 1.5,
    durationSeconds: 4,
    postgresLoad: { warmupSeconds: 1, durationSeconds: 2 },
  },
  small: { publications: 5, stories: 200, speakers: 100, warmupSeconds: 1, durationSeconds: 2 },
};

export interface BenchmarkOptions extends CorpusSize, LoadSettings {
  size: keyof typeof SIZES;
  repeats: number;
  /** Seconds of the Newsgate soak; 0 leaves it out. */
  soakSeconds: number;
  /** Variants compared with the floor, which always runs (and floor-pg, with `postgres`). */
  variants: string[];
  /** Also copy the corpus into PostgreSQL and run the PostgreSQL variants there. */
  postgres: boolean;
  /** Where the benchmark creates (and drops) its own database, named newsgate_bench_…. */
  postgresUrl: string;
  /** Warm-up and measured seconds of the PostgreSQL variants: the size's, or the others' when those are given. */
  postgresLoad: Windows;
  seed: number;
  /** Where the JSON results go. */
  out: string;
  cpuProfileDir?: string;
  /** Progress lines. */
  log: (line: string) => void;
}

export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export function resolveOptions(given: Partial<BenchmarkOptions>): BenchmarkOptions {
  const size = given.size ?? "default";
  const postgres = given.postgres ?? false;
  const { postgresLoad: sizedPostgresLoad, ...sized } = SIZES[size];
  const { postgresLoad, ...rest } = given;
  // The PostgreSQL windows, unless given: the size's own, or the other variants' when those were given.
  const othersGiven = given.warmupSeconds !== undefined || given.durationSeconds !== undefined;
  const postgresDefaults =
    !othersGiven && sizedPostgresLoad
      ? sizedPostgresLoad
      : { warmupSeconds: given.warmupSeconds ?? sized.warmupSeconds, durationSeconds: given.durationSeconds ?? sized.durationSeconds };
  const options: BenchmarkOptions = {
    ...sized,
    size,
    repeats: 3,
    // One server process saturates with a few requests in flight; more would only queue,
    // inflating latencies and the time to drain the naive variant between windows.
    connections: 4,
    soakSeconds: 0,
    variants: CHILD_VARIANTS.filter((name) => !isFloor(name) && (postgres || engineOf(name) === "sqlite")),
    postgres,
    postgresUrl: DEFAULT_POSTGRES_URL,
    postgresLoad: {
      warmupSeconds: postgresLoad?.warmupSeconds ?? postgresDefaults.warmupSeconds,
      durationSeconds: postgresLoad?.durationSeconds ?? postgresDefaults.durationSeconds,
    },
    seed: 20251126,
    out: path.join(REPO_ROOT, "bench-results", "latest.json"),
    log: (line) => process.stderr.write(`${line}\n`),
    ...withoutUndefined(rest),
  };
  if (options.soakSeconds > 0 && !options.variants.includes("newsgate")) throw new BenchmarkUsageError("--soak needs the newsgate variant");
  const needsPostgres = options.variants.find((name) => engineOf(name) === "postgres");
  if (needsPostgres && !options.postgres) throw new BenchmarkUsageError(`the ${needsPostgres} variant needs --postgres`);
  return options;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A mistake in the command line: reported in one line, exit code 1. */
export class BenchmarkUsageError extends Error {
  override name = "BenchmarkUsageError";
}

export const USAGE =
  "usage: npm run bench -- [--size default|small] [--publications N] [--stories N] [--speakers N] [--warmup S] [--duration S] " +
  "[--repeats N] [--connections N] [--soak S] [--variants naive,newsgate,newsgate-pg,postgraphile] [--seed N] [--out FILE] [--cpu-prof DIR] " +
  "[--postgres [--postgres-url URL] [--pg-warmup S] [--pg-duration S]]";

export function parseCommandLine(argv: string[]): Partial<BenchmarkOptions> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        size: { type: "string" },
        publications: { type: "string" },
        stories: { type: "string" },
        speakers: { type: "string" },
        warmup: { type: "string" },
        duration: { type: "string" },
        repeats: { type: "string" },
        connections: { type: "string" },
        soak: { type: "string" },
        variants: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
        "cpu-prof": { type: "string" },
        postgres: { type: "boolean" },
        "postgres-url": { type: "string" },
        "pg-warmup": { type: "string" },
        "pg-duration": { type: "string" },
      },
    });
  } catch (error) {
    throw new BenchmarkUsageError((error as Error).message.split("\n")[0]);
  }
  const flags = parsed.values;
  if (flags.size !== undefined && !(flags.size in SIZES)) {
    throw new BenchmarkUsageError(`--size must be ${Object.keys(SIZES).join(" or ")}, got "${flags.size}"`);
  }
  return {
    size: flags.size as BenchmarkOptions["size"] | undefined,
    publications: integer("publications", flags.publications, 1),
    stories: integer("stories", flags.stories, 2),
    speakers: integer("speakers", flags.speakers, 1),
    warmupSeconds: seconds("warmup", flags.warmup, 0),
    durationSeconds: seconds("duration", flags.duration, 0.1),
    repeats: integer("repeats", flags.repeats, 1),
    connections: integer("connections", flags.connections, 1),
    soakSeconds: seconds("soak", flags.soak, 10),
    variants: flags.variants === undefined ? undefined : variantList(flags.variants),
    seed: integer("seed", flags.seed, 0),
    out: flags.out === undefined ? undefined : path.resolve(flags.out),
    cpuProfileDir: flags["cpu-prof"] === undefined ? undefined : path.resolve(flags["cpu-prof"]),
    ...postgresFlags(flags),
  };
}

function postgresFlags(flags: { postgres?: boolean; "postgres-url"?: string; "pg-warmup"?: string; "pg-duration"?: string }) {
  const url = flags["postgres-url"];
  const warmupSeconds = seconds("pg-warmup", flags["pg-warmup"], 0);
  const durationSeconds = seconds("pg-duration", flags["pg-duration"], 0.1);
  if (!flags.postgres && (url !== undefined || warmupSeconds !== undefined || durationSeconds !== undefined)) {
    throw new BenchmarkUsageError("--postgres-url, --pg-warmup and --pg-duration go with --postgres");
  }
  if (url !== undefined && !/^postgres(ql)?:\/\/./.test(url))
    throw new BenchmarkUsageError(`--postgres-url must be a postgres:// URL, got "${url}"`);
  return {
    postgres: flags.postgres,
    postgresUrl: url,
    // Filled in from the other windows by resolveOptions when only one of the two is given.
    postgresLoad:
      warmupSeconds === undefined && durationSeconds === undefined
        ? undefined
        : ({ warmupSeconds, durationSeconds } as BenchmarkOptions["postgresLoad"]),
  };
}

function integer(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new BenchmarkUsageError(`--${flag} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}

function seconds(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min) {
    throw new BenchmarkUsageError(`--${flag} must be a number of seconds of at least ${min}, got "${raw}"`);
  }
  return value;
}

function variantList(raw: string): string[] {
  const names = raw.split(",").map((name) => name.trim());
  const known = CHILD_VARIANTS.filter((name) => !isFloor(name));
  const unknown = names.find((name) => !(known as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw new BenchmarkUsageError(`--variants takes ${known.join(", ")} (the floor always runs), got "${unknown}"`);
  return [...new Set(names)];
}
