import { listOperations, readOperation } from "../helpers/operations";
import { startTestServer, type TestServer } from "../helpers/test-server";

/** Every example operation in schema/operations/ runs, with its default variables, on the demo content. */
describe("schema/operations", () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ demo: true });
  });
  afterAll(() => api.close());

  it("holds the reference operations", () => {
    expect(listOperations()).toEqual(expect.arrayContaining(["front-page", "node-lookup", "speaker-quotes", "story-page"]));
  });

  it.each(listOperations())("%s runs without errors and finds data", async (name) => {
    const { status, body } = await api.gql(readOperation(name));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const [root] = Object.values(body.data as Record<string, unknown>);
    expect(root).not.toBeNull();
    expect(JSON.stringify(root).length).toBeGreaterThan(50);
  });
});
