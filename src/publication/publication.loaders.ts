import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey } from "../db/batch";
import { Publication } from "./publication.entity";
import { type LoaderOptions } from "../db/loader-options";

export function createPublicationLoaders(dataSource: DataSource, options: LoaderOptions) {
  const publications = dataSource.getRepository(Publication);
  return {
    publicationById: new DataLoader<number, Publication | null>(
      async (ids) => byKey(ids, await publications.findBy({ id: In([...ids]) }), (publication) => publication.id),
      options,
    ),
  };
}
