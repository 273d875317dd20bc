import { column, globalIdOf, type RenderedType } from "../db/render";

/** Publication as rendered in SQL (db/render.ts), over a publications row. */
export const PUBLICATION: RenderedType = {
  fields: {
    id: globalIdOf("Publication"),
    slug: column("slug"),
    name: column("name"),
    brand: column("brand"),
    edition: column("edition"),
    homepageUrl: column("homepage_url"),
  },
};
