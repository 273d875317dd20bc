import path from "node:path";

/**
 * Newsgate's settings, read from the environment once at start-up. No other module reads
 * `process.env`: everything else receives a `Config` so tests can build one by hand.
 */
export interface Config {
  readonly env: "development" | "production" | "test";
  readonly port: number;
  readonly host: string;
  /** Path of the embedded SQLite database file. */
  readonly databasePath: string;
  /** Log every SQL statement to stderr (for chasing a slow query). */
  readonly logSql: boolean;
  /** Load the bundled demo content when the database has no stories. */
  readonly loadDemo: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === "") return fallback;
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number between 0 and 65535, got "${raw}"`);
  }
  return port;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? "development";
  if (nodeEnv !== "development" && nodeEnv !== "production" && nodeEnv !== "test") {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  return Object.freeze({
    env: nodeEnv,
    port: parsePort("PORT", env.PORT, 4000),
    host: env.HOST || "0.0.0.0",
    databasePath: path.resolve(env.DATABASE_PATH || "data/newsgate.sqlite"),
    logSql: parseBoolean("LOG_SQL", env.LOG_SQL, false),
    loadDemo: parseBoolean("LOAD_DEMO", env.LOAD_DEMO, true),
  });
}
