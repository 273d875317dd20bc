import { spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript entry point the way `npm run …` does, with extra environment. */
export function runCli(entry: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return runProgram(TSX, [path.join(ROOT, entry), ...args], env, timeoutMs);
}

/** Runs any program from the project root and collects its output. */
export function runProgram(program: string, args: string[], env: Record<string, string> = {}, timeoutMs = 200_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts a long-running entry point and resolves once a stdout line matches: a TypeScript
 * one through tsx, a .js one (src/cli/start.js, compiled output) with plain node.
 */
export function startCli(entry: string, env: Record<string, string>, ready: RegExp) {
  const [command, args] = entry.endsWith(".js") ? [process.execPath, [path.join(ROOT, entry)]] : [TSX, [path.join(ROOT, entry)]];
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const matched = new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = stdout.match(ready);
      if (match) resolve(match);
    });
    child.on("close", (code) => reject(new Error(`exited with ${code} before ready: ${stderr}`)));
  });
  return { child, matched, exited, output: () => ({ stdout, stderr }) };
}
