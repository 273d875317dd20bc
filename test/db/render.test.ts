import { parse } from "graphql";

import { ReadSession } from "../../src/db/reader";
import { column, type FieldRendering, Renderer } from "../../src/db/render";
import { getSchema, guardedFields, sqlRenderer } from "../../src/schema";
import { makePublication, makeStory } from "../helpers/factories";
import { createTempDatabase, type TempDatabase } from "../helpers/temp-database";

/**
 * The renderer's safety net: a rendering whose statement the database will not run leaves
 * that document to the resolvers (and says so once), rather than failing every request.
 */
describe("Renderer", () => {
  let db: TempDatabase;
  let slug: string;
  beforeAll(async () => {
    db = await createTempDatabase();
    slug = (await makeStory(db.dataSource, { publication: await makePublication(db.dataSource) })).slug;
  });
  afterAll(() => db.cleanup());

  const QUERY = parse(`query Story($slug: String!) { story(slug: $slug) { slug } }`);

  function renderer(storyFrom: string, failures: unknown[]) {
    return getSchema().then(
      (schema) =>
        new Renderer(
          schema,
          {
            Query: { fields: { story: (f) => f.one("s", `${storyFrom} ${f.param((args) => args.slug)}`) } },
            Story: { fields: { slug: column("slug") } },
          },
          (error) => failures.push(error),
        ),
    );
  }

  it("answers in one statement what it renders", async () => {
    const failures: unknown[] = [];
    const reads = new ReadSession(db.dataSource, { statements: 0 });
    const answer = await (await renderer("FROM stories s WHERE s.slug =", failures)).answer(QUERY, "Story", { slug }, reads);
    expect(answer).toEqual({ data: { story: { slug } } });
    expect(reads.stats.statements).toBe(1);
    expect(failures).toEqual([]);
  });

  it("never renders a field under @Authorized, whatever a type declares: its guard must run", async () => {
    // clientApps is admins-only (@Authorized("admin")); a rendering for it must be dropped.
    expect(guardedFields()).toContain("Query.clientApps");
    const types = {
      Query: { fields: { clientApps: (f: FieldRendering) => f.many("c", "FROM client_apps c", "c.name") } },
      ClientApp: { fields: { name: column("name") } },
    };
    const query = parse(`{ clientApps { name } }`);
    const schema = await getSchema();
    const reads = new ReadSession(db.dataSource, { statements: 0 });
    expect(await sqlRenderer(schema, undefined, types).answer(query, null, {}, reads)).toBeNull();
    // The same rendering given to the renderer directly does render: the guard is what stops it.
    expect(await new Renderer(schema, types).answer(query, null, {}, reads)).toEqual({ data: { clientApps: [] } });
  });

  it("leaves a document whose statement fails its first run to the resolvers, and reports it once", async () => {
    const failures: unknown[] = [];
    const broken = await renderer("FROM no_such_table s WHERE s.slug =", failures);
    const reads = new ReadSession(db.dataSource, { statements: 0 });
    expect(await broken.answer(QUERY, "Story", { slug }, reads)).toBeNull();
    expect(await broken.answer(QUERY, "Story", { slug }, reads)).toBeNull();
    expect(failures).toHaveLength(1);
    // The second request did not try the statement again.
    expect(reads.stats.statements).toBe(1);
  });
});
