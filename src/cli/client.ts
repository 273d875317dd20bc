import "reflect-metadata";

import fs from "node:fs";
import { parseArgs } from "node:util";

import { GraphQLError } from "graphql";
import { type DataSource } from "typeorm";

import { type ClientApp } from "../access/client-app.entity";
import {
  type ClientAppSettings,
  createClientApp,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  listClientApps,
  rotateKey,
  setClientAppEnabled,
  updateClientApp,
} from "../access/client-apps";
import { clearManifest, registerManifest } from "../access/trusted-documents";
import { ConfigError, loadConfig } from "../config";
import { DatabaseError, openDatabase } from "../db/database";
import { EventBus } from "../events/event-bus";
import { dataSourceSettings } from "../../ormconfig";

const USAGE = `usage: npm run client -- <command>
  create NAME --role reader|editor|admin [--rate-limit N] [--max-depth N] [--max-aliases N] [--max-cost N]
  list
  set NAME [--role ROLE] [--rate-limit N] [--max-depth N|default] [--max-aliases N|default] [--max-cost N|default]
  disable NAME
  enable NAME
  rotate NAME
  manifest NAME FILE    register FILE (a persisted-operation manifest) and allow only its operations
  manifest-clear NAME   allow any operation again`;

/** A mistake in the command line: one line on stderr, exit 1. */
class UsageError extends Error {}

const OPTIONS = {
  role: { type: "string" },
  "rate-limit": { type: "string" },
  "max-depth": { type: "string" },
  "max-aliases": { type: "string" },
  "max-cost": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function count(flag: string, raw: string | undefined, allowDefault: boolean): number | null | undefined {
  if (raw === undefined) return undefined;
  if (allowDefault && raw === "default") return null;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${flag} must be a whole number${allowDefault ? ' or "default"' : ""}, got "${raw}"`);
  return Number(raw);
}

function settingsFrom(values: Record<string, string | undefined>, allowDefault: boolean): ClientAppSettings {
  return {
    rateLimitPerMinute: count("rate-limit", values["rate-limit"], false) ?? undefined,
    maxDepth: count("max-depth", values["max-depth"], allowDefault),
    maxAliases: count("max-aliases", values["max-aliases"], allowDefault),
    maxCost: count("max-cost", values["max-cost"], allowDefault),
  };
}

function describe(app: ClientApp): string {
  const rate = app.rateLimitPerMinute === 0 ? "no rate limit" : `${app.rateLimitPerMinute} requests per minute`;
  const limits = [
    app.maxDepth !== null ? `max depth ${app.maxDepth}` : null,
    app.maxAliases !== null ? `max aliases ${app.maxAliases}` : null,
    app.maxCost !== null ? `max cost ${app.maxCost}` : null,
  ].filter(Boolean);
  return `role ${app.role}, ${rate}${limits.length ? `, ${limits.join(", ")}` : ""}`;
}

async function run(
  dataSource: DataSource,
  command: string,
  name: string | undefined,
  values: Record<string, string | undefined>,
  out: (line: string) => void,
): Promise<ClientApp | null> {
  const needName = () => {
    if (!name) throw new UsageError(`${command} needs the client app's name`);
    return name;
  };
  switch (command) {
    case "create": {
      if (!values.role) throw new UsageError("create needs --role reader, editor or admin");
      const { clientApp, key } = await createClientApp(dataSource, {
        name: needName(),
        role: values.role,
        ...settingsFrom(values, false),
        rateLimitPerMinute: count("rate-limit", values["rate-limit"], false) ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      });
      out(`Created client app "${clientApp.name}" (${describe(clientApp)}).`);
      out("Its API key, shown only now (Newsgate stores just a hash of it):");
      out(key);
      return null;
    }
    case "list": {
      const summaries = await listClientApps(dataSource);
      if (summaries.length === 0) {
        out("No client apps yet: npm run client -- create NAME --role reader");
        return null;
      }
      for (const { clientApp, activeKeys } of summaries) {
        const keys = activeKeys.length ? activeKeys.map((prefix) => `${prefix}…`).join(" ") : "no active key";
        out(
          `${clientApp.name}\t${clientApp.enabled ? "enabled" : "disabled"}\t${describe(clientApp)}\tkeys: ${keys}\tcreated ${clientApp.createdAt.toISOString()}`,
        );
      }
      return null;
    }
    case "set": {
      const settings = { ...settingsFrom(values, true), role: values.role };
      if (Object.values(settings).every((value) => value === undefined))
        throw new UsageError("set needs at least one of --role, --rate-limit, --max-depth, --max-aliases, --max-cost");
      const app = await updateClientApp(dataSource, needName(), settings);
      out(`Updated client app "${app.name}" (${describe(app)}).`);
      return app;
    }
    case "disable":
    case "enable": {
      const app = await setClientAppEnabled(dataSource, needName(), command === "enable");
      out(
        `${command === "enable" ? "Enabled" : "Disabled"} client app "${app.name}"${command === "disable" ? ": its keys are refused from now on" : ""}.`,
      );
      return app;
    }
    case "rotate": {
      const { clientApp, key, revoked } = await rotateKey(dataSource, needName());
      out(`Issued a new key for "${clientApp.name}" and revoked ${revoked} older key${revoked === 1 ? "" : "s"}.`);
      out("Its API key, shown only now (Newsgate stores just a hash of it):");
      out(key);
      return clientApp;
    }
    case "manifest": {
      const file = values.file;
      if (!file) throw new UsageError("manifest needs the client app's name and the manifest file");
      let json: string;
      try {
        json = fs.readFileSync(file, "utf8");
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const { clientApp, operations } = await registerManifest(dataSource, needName(), json);
      out(`Registered ${operations} operation${operations === 1 ? "" : "s"} for "${clientApp.name}"; it may run only those from now on.`);
      return clientApp;
    }
    case "manifest-clear": {
      const app = await clearManifest(dataSource, needName());
      out(`"${app.name}" may run any operation again.`);
      return app;
    }
    default:
      throw new UsageError(
        `unknown command "${command}" (commands: create, list, set, disable, enable, rotate, manifest, manifest-clear; --help for usage)`,
      );
  }
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const option = /'(-[^']*)'/.exec((error as Error).message)?.[1];
    throw new UsageError(option ? `unknown or misused option ${option} (--help for usage)` : (error as Error).message.split("\n")[0]);
  }
  const [command, name, ...rest] = parsed.positionals;
  // `manifest NAME FILE` is the one command with a second argument.
  const file = command === "manifest" ? rest.shift() : undefined;
  const extra = rest;
  if (parsed.values.help || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!command)
    throw new UsageError(
      "missing command (commands: create, list, set, disable, enable, rotate, manifest, manifest-clear; --help for usage)",
    );
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const config = loadConfig();
  const dataSource = await openDatabase(dataSourceSettings(config));
  try {
    const { help: _help, ...values } = parsed.values;
    const changed = await run(dataSource, command, name, { ...values, file }, (line) => process.stdout.write(`${line}\n`));
    // With Redis, every replica hears of it at once and re-checks the app's open sockets
    // (closing them for a disabled app or a rotated-out key); without, their sweep finds it.
    if (changed && config.redisUrl) {
      try {
        const events = await EventBus.redis(config.redisUrl);
        events.clientAppChanged({ clientAppId: changed.id });
        await events.close();
      } catch (error) {
        // The change is made and every operation re-checks its key; only the prompt close waits for the sweep.
        process.stderr.write(
          `client: warning: could not announce the change on Redis (${(error as Error).message}); open sockets close at their next key check\n`,
        );
      }
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Mistakes (bad input, unknown name, duplicate, bad config or database) get one line; a bug keeps its stack.
  if (error instanceof UsageError || error instanceof GraphQLError || error instanceof ConfigError || error instanceof DatabaseError) {
    process.stderr.write(`client: ${error.message}\n`);
  } else {
    process.stderr.write(`client: failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
