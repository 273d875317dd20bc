import { parse } from "graphql";

import { ReadSession } from "../../src/db/reader";
import { column, type FieldRendering, type RenderedAnswer, Renderer } from "../../src/db/render";
import { getSchema, guardedFields, sqlRenderer } from "../../src/schema";
import { makePublication, makeSpeaker, makeStory } from "../helpers/factories";
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
    expect(parsed(answer)).toEqual({ story: { slug } });
    expect(reads.stats.statements).toBe(1);
    expect(failures).toEqual([]);
  });

  it("answers the root __typename alone without a statement", async () => {
    const reads = new ReadSession(db.dataSource, { statements: 0 });
    const answer = await sqlRenderer(await getSchema()).answer(parse(`{ __typename again: __typename }`), null, {}, reads);
    expect(parsed(answer)).toEqual({ __typename: "Query", again: "Query" });
    expect(reads.stats.statements).toBe(0);
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
    expect(parsed(await new Renderer(schema, types).answer(query, null, {}, reads))).toEqual({ clientApps: [] });
  });

  it("reports what an answer shows to the response cache, and only that, whatever the text holds", async () => {
    // A headline holding what an observed member looks like, as each engine writes it.
    const headline = `Not ,"__newsgate":["Story",999] nor , "__newsgate" : ["Story", 999]`;
    const speaker = await makeSpeaker(db.dataSource);
    const story = await makeStory(db.dataSource, {
      publication: await makePublication(db.dataSource),
      headline,
      bullets: 1,
      speakers: [speaker],
    });
    const reads = new ReadSession(db.dataSource, { statements: 0 });
    const seen: object[] = [];
    reads.observe = (entity) => seen.push(entity);
    const schema = await getSchema();
    const query = parse(`query Story($slug: String!) { story(slug: $slug) { headline bullets { quotes { speaker { name } } } } }`);
    const answer = await sqlRenderer(schema).answer(query, "Story", { slug: story.slug }, reads);
    expect(parsed(answer)).toEqual({ story: { headline, bullets: [{ quotes: [{ speaker: { name: speaker.name } }] }] } });
    // Innermost first: each object's member is read where its text ends.
    expect(seen.map((entity) => [entity.constructor.name, { ...entity }])).toEqual([
      ["Speaker", { id: speaker.id }],
      ["Quote", { storyId: story.id, speakerId: speaker.id }],
      ["Bullet", { storyId: story.id }],
      ["Story", { id: story.id }],
    ]);
  });

  it("renders no Float on SQLite, which writes doubles with 15 significant digits", async () => {
    const story = await makeStory(db.dataSource, {
      publication: await makePublication(db.dataSource),
      bullets: 1,
      speakers: [await makeSpeaker(db.dataSource)],
    });
    const types = {
      Query: { fields: { story: (f: FieldRendering) => f.one("s", `FROM stories s WHERE s.slug = ${f.param((args) => args.slug)}`) } },
      Story: { fields: { bullets: (f: FieldRendering) => f.many("b", `FROM bullets b WHERE b.story_id = ${f.a}.id`, "b.position") } },
      Bullet: { fields: { quotes: (f: FieldRendering) => f.many("q", `FROM quotes q WHERE q.bullet_id = ${f.a}.id`, "q.id") } },
      Quote: { fields: { attributionConfidence: column("attribution_confidence") } },
    };
    const query = parse(`query S($slug: String!) { story(slug: $slug) { bullets { quotes { attributionConfidence } } } }`);
    const reads = new ReadSession(db.dataSource, { statements: 0 });
    const answer = await new Renderer(await getSchema(), types).answer(query, "S", { slug: story.slug }, reads);
    if (reads.engine === "sqlite") expect(answer).toBeNull();
    else expect(parsed(answer)).toEqual({ story: { bullets: [{ quotes: [{ attributionConfidence: expect.any(Number) }] }] } });
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

/** A rendered answer's fields as values (PostgreSQL's text is spaced, SQLite's compact). */
function parsed(answer: RenderedAnswer | null): Record<string, unknown> | null {
  return answer && Object.fromEntries(answer.fields.map(([key, json]) => [key, JSON.parse(String(json))]));
}
