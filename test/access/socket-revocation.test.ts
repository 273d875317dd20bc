import { rotateKey, setClientAppEnabled } from "../../src/access/client-apps";
import { runCli } from "../helpers/cli";
import { startHttpServer, type HttpServer } from "../helpers/http-server";
import { openSocket } from "../helpers/subscriptions";

const SET_ROLE = `mutation($s: ID!, $r: String) { setSpeakerRole(speaker: $s, role: $r) { role } }`;
const within = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
};

describe("keys re-checked on open sockets", () => {
  let api: HttpServer;
  let admin: string;
  let speaker: { id: string; role: string | null };
  beforeAll(async () => {
    // A sweep once a minute: whatever closes a socket sooner is the event or the per-operation check.
    api = await startHttpServer({ demo: true, config: { socketKeyCheckSeconds: 60 } });
    admin = await api.key("ops", "admin");
    speaker = (await api.gql(`{ speakers(first: 1) { edges { node { id role } } } }`)).body.data.speakers.edges[0].node;
  });
  afterAll(() => api.close());

  const roleNow = async () =>
    (await api.gql(`query($id: ID!) { node(id: $id) { ... on Speaker { role } } }`, { variables: { id: speaker.id } })).body.data.node.role;

  it("closes a disabled app's sockets with 4403 as soon as an admin disables it", async () => {
    const key = await api.key("desk", "editor");
    const socket = await openSocket(api.url, { authorization: `Bearer ${key}` });
    // A live subscription on it, which must end with the socket.
    const subscription = socket.run({ query: "subscription { storyPublished { id } }" }, 30_000);
    const disabled = await api.gql(`mutation { setClientAppEnabled(name: "desk", enabled: false) { enabled } }`, { key: admin });
    expect(disabled.body).toEqual({ data: { setClientAppEnabled: { enabled: false } } });
    expect(await within(socket.closed, 2_000)).toEqual({ code: 4403, reason: 'UNAUTHENTICATED: The client app "desk" is disabled' });
    expect(await subscription).toEqual({ closed: { code: 4403, reason: 'UNAUTHENTICATED: The client app "desk" is disabled' } });
  });

  it("closes sockets holding a rotated-out key with 4401, and keeps those with the new key", async () => {
    const old = await api.key("web", "reader");
    const before = await openSocket(api.url, { authorization: `Bearer ${old}` });
    const rotated = await api.gql(`mutation { rotateClientAppKey(name: "web") { key } }`, { key: admin });
    const fresh = rotated.body.data.rotateClientAppKey.key;
    const after = await openSocket(api.url, { authorization: `Bearer ${fresh}` });
    expect(await within(before.closed, 2_000)).toEqual({
      code: 4401,
      reason: "UNAUTHENTICATED: The API key is not valid (unknown or revoked)",
    });
    expect((await after.run({ query: "{ viewer { name } }" })).data).toEqual({ viewer: { name: "web" } });
    expect(after.isClosed()).toBe(false);
    await before.dispose();
    await after.dispose();
  });

  it("runs nothing on a socket once a disable has returned, even when no event reached the server", async () => {
    const key = await api.key("night-desk", "editor");
    const socket = await openSocket(api.url, { authorization: `Bearer ${key}` });
    const ran = await socket.run({ query: SET_ROLE, variables: { s: speaker.id, r: "before" } });
    expect(ran).toEqual({ data: { setSpeakerRole: { role: "before" } } });
    // The service alone, as `npm run client -- disable` without Redis: no event is published.
    await setClientAppEnabled(api.dataSource, "night-desk", false);
    const refused = await socket.run({ query: SET_ROLE, variables: { s: speaker.id, r: "after" } });
    expect(refused.data).toBeUndefined();
    expect(await within(socket.closed, 2_000)).toEqual({ code: 4403, reason: 'UNAUTHENTICATED: The client app "night-desk" is disabled' });
    expect(await roleNow()).toBe("before");
    await socket.dispose();
  });

  it("refuses the next operation of a socket whose key was rotated out, with 4401", async () => {
    const key = await api.key("late-desk", "editor");
    const socket = await openSocket(api.url, { authorization: `Bearer ${key}` });
    await rotateKey(api.dataSource, "late-desk");
    const refused = await socket.run({ query: SET_ROLE, variables: { s: speaker.id, r: "rotated" } });
    expect(refused.data).toBeUndefined();
    expect((await within(socket.closed, 2_000)).code).toBe(4401);
    expect(await roleNow()).not.toBe("rotated");
    await socket.dispose();
  });
});

describe("keys re-checked on open sockets, changed by the CLI without Redis", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer({ config: { socketKeyCheckSeconds: 1 } });
  });
  afterAll(() => api.close());

  it("closes the sockets of an app disabled or rotated with npm run client within seconds", async () => {
    // The server's own database (SQLite file or PostgreSQL), and no Redis: no event reaches the server.
    const env = { DATABASE_PATH: api.databasePath, DATABASE_URL: api.databaseUrl ?? "", LOAD_DEMO: "false", REDIS_URL: "" };
    const disabledKey = await api.key("kiosk", "reader");
    const rotatedKey = await api.key("tablet", "reader");
    const kiosk = await openSocket(api.url, { authorization: `Bearer ${disabledKey}` });
    const tablet = await openSocket(api.url, { authorization: `Bearer ${rotatedKey}` });
    expect((await runCli("src/cli/client.ts", ["disable", "kiosk"], env)).code).toBe(0);
    expect((await runCli("src/cli/client.ts", ["rotate", "tablet"], env)).code).toBe(0);
    expect(await within(kiosk.closed, 3_000)).toEqual({ code: 4403, reason: 'UNAUTHENTICATED: The client app "kiosk" is disabled' });
    expect((await within(tablet.closed, 3_000)).code).toBe(4401);
    await kiosk.dispose();
    await tablet.dispose();
  });
});
