import DataLoader from "dataloader";
import { type DataSource } from "typeorm";

import { byKey } from "./batch";
import { type LoaderOptions } from "./loader-options";

/** `totalCount` of a nested connection, for many parents in one GROUP BY. */
export function countLoader(
  dataSource: DataSource,
  options: LoaderOptions,
  table: string,
  parentColumn: string,
  countExpression = "COUNT(*)",
) {
  return new DataLoader<number, number>(async (ids) => {
    const rows: Array<{ parent_key: number | string; total: number | string }> = await dataSource
      .createQueryBuilder()
      .select(`t.${parentColumn}`, "parent_key")
      .addSelect(countExpression, "total")
      .from(table, "t")
      .where(`t.${parentColumn} IN (:...countIds)`, { countIds: [...ids] })
      .groupBy(`t.${parentColumn}`)
      .getRawMany();
    return byKey(ids, rows, (row) => Number(row.parent_key)).map((row) => Number(row?.total ?? 0));
  }, options);
}
