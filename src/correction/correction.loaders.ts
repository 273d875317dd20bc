import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey } from "../db/batch";
import { type LoaderOptions } from "../db/loader-options";
import { Correction } from "./correction.entity";

export function createCorrectionLoaders(dataSource: DataSource, options: LoaderOptions) {
  const corrections = dataSource.getRepository(Correction);
  return {
    correctionById: new DataLoader<number, Correction | null>(
      async (ids) => byKey(ids, await corrections.findBy({ id: In([...ids]) }), (correction) => correction.id),
      options,
    ),
  };
}
