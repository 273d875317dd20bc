import v8 from "node:v8";

import { ConfigError, loadConfig } from "../../src/config";
import { startTestServer, type TestServer } from "../helpers/test-server";

/**
 * HEAP_GROWTH_PERCENT bounds how far V8 lets the old generation grow past what it kept (the
 * benchmark measures what it saves in memory and costs in CPU). V8 has no API to read a flag
 * back, so this checks that the server sets it.
 */
describe("HEAP_GROWTH_PERCENT", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    jest.restoreAllMocks();
    await server?.close();
    server = undefined;
  });

  it("defaults to 100, refuses what is not a whole number, and the server applies it to V8 at start", async () => {
    expect(loadConfig({ NODE_ENV: "test" }).heapGrowthPercent).toBe(100);
    expect(() => loadConfig({ NODE_ENV: "test", HEAP_GROWTH_PERCENT: "lots" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "test", HEAP_GROWTH_PERCENT: "-1" })).toThrow(/HEAP_GROWTH_PERCENT/);
    const flags = jest.spyOn(v8, "setFlagsFromString");
    server = await startTestServer({ config: { heapGrowthPercent: 30 } });
    expect(flags).toHaveBeenCalledWith("--heap-growing-percent=30");
  });

  it("leaves the heap to V8 at 0", async () => {
    const flags = jest.spyOn(v8, "setFlagsFromString");
    server = await startTestServer({ config: { heapGrowthPercent: 0 } });
    expect(flags).not.toHaveBeenCalledWith(expect.stringContaining("heap-growing-percent"));
  });
});
