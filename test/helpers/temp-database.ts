import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Client } from "pg";
import { type DataSource } from "typeorm";

import { type DataSourceSettings } from "../../ormconfig";
import { openDatabase } from "../../src/db/database";

/**
 * Where the suite's databases live. By default a fresh SQLite file per test file; with
 * NEWSGATE_TEST_POSTGRES=postgres://…/postgres (as `.ci/run` sets for its second pass) a
 * fresh PostgreSQL database per test file instead, created here and dropped afterwards.
 */
export const TEST_POSTGRES = process.env.NEWSGATE_TEST_POSTGRES || null;
export const onPostgres = TEST_POSTGRES !== null;

let counter = 0;

export interface TempDatabase {
  dataSource: DataSource;
  settings: DataSourceSettings;
  databasePath: string;
  cleanup(): Promise<void>;
}

/** A fresh database built by the real migrations. */
export async function createTempDatabase(options: { engine?: "sqlite" | "postgres" } = {}): Promise<TempDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-test-"));
  const databasePath = path.join(dir, "newsgate.sqlite");
  let databaseUrl: string | null = null;
  let dropDatabase = async () => {};
  if (TEST_POSTGRES && options.engine !== "sqlite") {
    const name = `newsgate_test_${process.pid}_${Date.now()}_${++counter}`;
    await admin(TEST_POSTGRES, `CREATE DATABASE "${name}"`);
    const url = new URL(TEST_POSTGRES);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => admin(TEST_POSTGRES, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  const settings: DataSourceSettings = { databasePath, databaseUrl, poolSize: 5 };
  const dataSource = await openDatabase(settings);
  return {
    dataSource,
    settings,
    databasePath,
    async cleanup() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabase();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
