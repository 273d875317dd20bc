import DataLoader from "dataloader";

import { byKey } from "../db/batch";
import { type ListDeclaration } from "../db/list";
import { type LoaderOptions } from "../db/loader-options";
import { type ReadSession, rowShape, selectList, Statement } from "../db/reader";
import { Publication } from "./publication.entity";

/** Every publication, by name. */
export const PUBLICATIONS: ListDeclaration<Publication> = {
  name: "publications",
  entity: Publication,
  table: "publications",
  rows: () => "SELECT 0 AS parent_key, p.id AS id, p.name AS k FROM publications p",
  direction: "ASC",
  cursor: "string",
};

const PUBLICATIONS_BY_ID = new Statement(
  "publicationsById",
  (d) => `SELECT ${selectList(Publication, "p")} FROM publications p WHERE ${d.ids("p.id", ":ids")}`,
);

export function createPublicationLoaders(session: ReadSession, options: LoaderOptions) {
  const shape = rowShape(session.dataSource, Publication);
  return {
    publicationById: new DataLoader<number, Publication | null>(
      async (ids) => byKey(ids, await session.all(shape, PUBLICATIONS_BY_ID, { ids: [...ids] }), (publication) => publication.id),
      options,
    ),
  };
}
