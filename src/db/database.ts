import fs from "node:fs";
import path from "node:path";

import { type DataSource } from "typeorm";

import { createDataSource, type DataSourceSettings, migrations } from "../../ormconfig";

/** The database cannot be used; the message is one line meant for an operator. */
export class DatabaseError extends Error {
  override name = "DatabaseError";
}

/**
 * Opens the SQLite database, refuses one written by a newer Newsgate, and applies any
 * pending migrations (each in its own transaction).
 */
export async function openDatabase(settings: DataSourceSettings, options: { migrate?: boolean } = {}): Promise<DataSource> {
  const file = settings.databasePath;
  if (file !== ":memory:") {
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      throw new DatabaseError(`Cannot open database ${file}: it is a directory, not a file`);
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
    } catch (error) {
      throw new DatabaseError(`Cannot open database ${file}: cannot create its folder (${(error as Error).message})`);
    }
  }
  const dataSource = createDataSource(settings);
  try {
    await dataSource.initialize();
    // A file that is not SQLite opens fine and fails on the first read.
    await dataSource.query("SELECT count(*) FROM sqlite_master");
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw new DatabaseError(`Cannot open database ${file}: ${firstLine(error)}`);
  }
  try {
    await refuseNewerSchema(dataSource, file);
    if (options.migrate ?? true) await dataSource.runMigrations({ transaction: "each" });
  } catch (error) {
    await dataSource.destroy();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(`Cannot migrate database ${file}: ${firstLine(error)}`);
  }
  return dataSource;
}

async function refuseNewerSchema(dataSource: DataSource, file: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    if (!(await runner.hasTable("migrations"))) return;
    const applied: Array<{ name: string }> = await runner.query("SELECT name FROM migrations");
    const known = new Set(migrations.map((migration) => migration.name));
    const unknown = applied.map((row) => row.name).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new DatabaseError(
        `Database ${file} was migrated by a newer version of Newsgate (unknown migration ${unknown[0]}); upgrade Newsgate or point DATABASE_PATH elsewhere`,
      );
    }
  } finally {
    await runner.release();
  }
}

/** Pending migrations, for /readyz and the migrate CLI. */
export async function pendingMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // TypeORM sometimes prefixes the driver's error class name; operators need the reason.
  return message.split("\n")[0].replace(/^\w*Error: /, "");
}
