import fs from "node:fs";
import path from "node:path";

import { type DataSource } from "typeorm";

import { createDataSource, type DataSourceSettings, migrations } from "../../ormconfig";
import { redactUrl } from "../config";

/** The database cannot be used; the message is one line meant for an operator. */
export class DatabaseError extends Error {
  override name = "DatabaseError";
}

/**
 * Opens the database (SQLite file or PostgreSQL URL), refuses one written by a newer
 * Newsgate, and applies pending migrations (each in its own transaction). With
 * `migrate: false` pending migrations are an error instead: on PostgreSQL several replicas
 * share one database, so migrations run once per deploy (`npm run migrate`), not per start.
 */
export async function openDatabase(settings: DataSourceSettings, options: { migrate?: boolean } = {}): Promise<DataSource> {
  const name = settings.databaseUrl ? redactUrl(settings.databaseUrl) : settings.databasePath;
  if (!settings.databaseUrl) prepareSqliteFile(settings.databasePath);
  const dataSource = createDataSource(settings);
  try {
    await dataSource.initialize();
    // A file that is not SQLite opens fine and fails on the first read.
    await dataSource.query("SELECT 1");
    if (!settings.databaseUrl) await dataSource.query("SELECT count(*) FROM sqlite_master");
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw new DatabaseError(`Cannot open database ${name}: ${firstLine(error)}`);
  }
  try {
    await refuseNewerSchema(dataSource, name);
    if (options.migrate ?? true) await dataSource.runMigrations({ transaction: "each" });
    else if (await dataSource.showMigrations()) {
      throw new DatabaseError(`Database ${name} has pending migrations; run \`npm run migrate\` once for this deploy, then start`);
    }
  } catch (error) {
    await dataSource.destroy();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(`Cannot migrate database ${name}: ${firstLine(error)}`);
  }
  return dataSource;
}

function prepareSqliteFile(file: string): void {
  if (file === ":memory:") return;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new DatabaseError(`Cannot open database ${file}: it is a directory, not a file`);
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new DatabaseError(`Cannot open database ${file}: cannot create its folder (${(error as Error).message})`);
  }
}

async function refuseNewerSchema(dataSource: DataSource, name: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    if (!(await runner.hasTable("migrations"))) return;
    const applied: Array<{ name: string }> = await runner.query(`SELECT "name" FROM "migrations"`);
    const known = new Set(migrations.map((migration) => migration.name));
    const unknown = applied.map((row) => row.name).filter((migration) => !known.has(migration));
    if (unknown.length > 0) {
      throw new DatabaseError(
        `Database ${name} was migrated by a newer version of Newsgate (unknown migration ${unknown[0]}); upgrade Newsgate or point DATABASE_PATH elsewhere`,
      );
    }
  } finally {
    await runner.release();
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // TypeORM sometimes prefixes the driver's error class name; operators need the reason.
  return message.split("\n")[0].replace(/^\w*Error: /, "") || String((error as { code?: string }).code ?? "unknown error");
}
