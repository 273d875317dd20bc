import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { type Dialect, POSTGRAPHILE_DIALECT } from "./postgraphile-operations";

/** A server under test, started for one round of measurements. */
export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** Adding a variant to the benchmark means adding one of these. */
export interface Variant {
  name: string;
  /** Where its data lives; its figures are compared with that engine's floor. */
  engine: Engine;
  /** Set for a variant with a schema of its own (PostGraphile): its documents and how to read its answers. */
  dialect?: Dialect;
  start(): Promise<RunningServer>;
}

export type Engine = "sqlite" | "postgres";

/** The variants test/bench/serve-variant.ts can run, by engine; each engine's floor comes first and is its reference. */
export const ENGINE_VARIANTS = {
  sqlite: ["floor", "naive", "newsgate", "newsgate-cached", "newsgate-cache-miss"],
  postgres: ["floor-pg", "newsgate-pg", "postgraphile"],
} as const satisfies Record<Engine, readonly string[]>;

export const CHILD_VARIANTS = [...ENGINE_VARIANTS.sqlite, ...ENGINE_VARIANTS.postgres] as const;

/** The reference of each engine: its answers are checked against the SQLite floor's, and its figures are the ratios' denominators. */
export const FLOORS: Record<Engine, string> = { sqlite: ENGINE_VARIANTS.sqlite[0], postgres: ENGINE_VARIANTS.postgres[0] };

export function engineOf(name: string): Engine {
  return (ENGINE_VARIANTS.postgres as readonly string[]).includes(name) ? "postgres" : "sqlite";
}

export const floorOf = (name: string): string => FLOORS[engineOf(name)];
export const isFloor = (name: string): boolean => Object.values(FLOORS).includes(name);

/** Variants whose requests are not Newsgate's. */
const DIALECTS: Record<string, Dialect> = { postgraphile: POSTGRAPHILE_DIALECT };

const REPO_ROOT = path.resolve(__dirname, "../..");
/** Inside the project, so the compiled files find its node_modules and package.json (src/paths.ts). */
const COMPILED_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "newsgate-bench");

/**
 * Production runs compiled JavaScript, so the variants do too: the server and the benchmark's
 * own servers are compiled once per run with the project's TypeScript, then run with plain
 * node (no TypeScript loader in the measured process). Returns the variant launcher's path.
 */
export function compileVariants(log: (line: string) => void): string {
  const started = Date.now();
  fs.rmSync(COMPILED_DIR, { recursive: true, force: true });
  const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  execFileSync(
    process.execPath,
    [tsc, "-p", path.join(__dirname, "tsconfig.json"), "--noEmit", "false", "--sourceMap", "false", "--outDir", COMPILED_DIR],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  log(`compiled the server and the variants in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return path.join(COMPILED_DIR, "test", "bench", "serve-variant.js");
}
const START_TIMEOUT_MS = 60_000;

export interface ChildVariantSettings {
  databasePath: string;
  /** The PostgreSQL copy of the corpus, for the PostgreSQL variants. */
  databaseUrl?: string;
  /** Write a V8 CPU profile of every child into this folder. */
  cpuProfileDir?: string;
  /** The compiled launcher (`compileVariants`). */
  launcher: string;
  log: (line: string) => void;
}

/** A variant served by the compiled `serve-variant.ts NAME` in a child process. */
export function childVariant(name: string, settings: ChildVariantSettings): Variant {
  const engine = engineOf(name);
  const database = engine === "postgres" ? settings.databaseUrl : settings.databasePath;
  if (!database) throw new Error(`${name} runs on PostgreSQL: it needs the corpus's databaseUrl`);
  let starts = 0;
  return {
    name,
    engine,
    dialect: DIALECTS[name],
    async start() {
      starts += 1;
      const profile = settings.cpuProfileDir
        ? ["--cpu-prof", `--cpu-prof-dir=${settings.cpuProfileDir}`, `--cpu-prof-name=${name}-${starts}.cpuprofile`]
        : [];
      const child = spawn(process.execPath, [...profile, settings.launcher, name, database], {
        cwd: REPO_ROOT,
        env: { ...process.env, NODE_ENV: "production" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      child.stderr!.setEncoding("utf8").on("data", (text: string) => {
        for (const line of text.trimEnd().split("\n")) settings.log(`[${name}] ${line}`);
      });
      const port = await firstLine(child, name);
      return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
    },
  };
}

function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.once("exit", (code, signal) =>
      fail(new Error(`${name} exited before listening (${signal ?? `code ${code}`}); see its stderr above`)),
    );
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      buffered += text;
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve(buffered.slice(0, newline).trim());
    });
  });
}

/** SIGTERM lets the child write its CPU profile; a child that does not go within this is killed. */
const STOP_TIMEOUT_MS = 10_000;

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
