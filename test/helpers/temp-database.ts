import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { type DataSource } from "typeorm";

import { openDatabase } from "../../src/db/database";

/** A fresh SQLite file in its own temp folder, built by the real migrations. */
export async function createTempDatabase(): Promise<{ dataSource: DataSource; databasePath: string; cleanup(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-test-"));
  const databasePath = path.join(dir, "newsgate.sqlite");
  const dataSource = await openDatabase({ databasePath });
  return {
    dataSource,
    databasePath,
    async cleanup() {
      if (dataSource.isInitialized) await dataSource.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
