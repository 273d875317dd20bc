import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey } from "../db/batch";
import { filteredRows, type ListDeclaration } from "../db/list";
import { type LoaderOptions } from "../db/loader-options";
import { Correction } from "./correction.entity";

/** What the corrections log may be narrowed by. */
export interface CorrectionListFilter {
  target?: { type: string; id: number };
  kind?: string;
  actor?: string;
  targetType?: string;
  since?: Date;
  until?: Date;
}

/** The corrections log, newest first. */
export const CORRECTIONS: ListDeclaration<Correction, CorrectionListFilter> = {
  name: "corrections",
  entity: Correction,
  table: "corrections",
  ...filteredRows<CorrectionListFilter>("SELECT 0 AS parent_key, c.id AS id, c.created_at AS k FROM corrections c WHERE 1 = 1", {
    target: {
      sql: () => "c.target_type = :type AND c.target_id = :targetId",
      params: (target) => ({ type: target.type, targetId: target.id }),
    },
    kind: { sql: () => "c.kind = :kind" },
    actor: { sql: () => "c.actor = :actor" },
    targetType: { sql: () => "c.target_type = :targetType" },
    since: { sql: () => "c.created_at >= :since" },
    until: { sql: () => "c.created_at < :until" },
  }),
  direction: "DESC",
  cursor: "date",
};

export function createCorrectionLoaders(dataSource: DataSource, options: LoaderOptions) {
  const corrections = dataSource.getRepository(Correction);
  return {
    correctionById: new DataLoader<number, Correction | null>(
      async (ids) => byKey(ids, await corrections.findBy({ id: In([...ids]) }), (correction) => correction.id),
      options,
    ),
  };
}
