import "reflect-metadata";

import { dataSourceSettings } from "../../ormconfig";
import { ConfigError, loadConfig } from "../config";
import { DatabaseError, openDatabase } from "../db/database";

/**
 * `npm run migrate`: applies pending migrations to the configured database and exits. On
 * PostgreSQL this is the deploy step that runs once, before the replicas start.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDatabase(dataSourceSettings(config), { migrate: true });
  const applied: Array<{ name: string }> = await dataSource.query(`SELECT "name" FROM "migrations" ORDER BY "timestamp"`);
  await dataSource.destroy();
  process.stdout.write(`migrate: database is current (${applied.length} migrations applied)\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseError) process.stderr.write(`migrate: ${error.message}\n`);
  else process.stderr.write(`migrate: failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
