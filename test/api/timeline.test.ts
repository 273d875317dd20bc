import { makePublication, makeSpeaker, makeStory } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TIMELINE = `query($slug: String!, $interval: TimelineInterval!, $since: DateTimeISO, $until: DateTimeISO) {
  speaker(slug: $slug) { quoteTimeline(interval: $interval, since: $since, until: $until) { start count stories } }
}`;

describe("Speaker.quoteTimeline", () => {
  let api: TestServer;
  let slug: string;
  const timeline = async (variables: Record<string, unknown>) => {
    const response = await api.gql(TIMELINE, { slug, ...variables });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.speaker.quoteTimeline;
  };

  beforeEach(async () => {
    api = await startTestServer();
    const publication = await makePublication(api.dataSource);
    const speaker = await makeSpeaker(api.dataSource);
    const other = await makeSpeaker(api.dataSource);
    slug = speaker.slug;
    const at = (iso: string, bullets = 1) =>
      makeStory(api.dataSource, { publication, publishedAt: new Date(iso), bullets, speakers: [speaker] });
    await at("2026-01-05T10:00:00Z", 2); // a Monday: two quotes, one story
    await at("2026-01-05T18:00:00Z");
    await at("2026-01-11T23:59:59Z"); // the Sunday closing that week
    await at("2026-01-12T00:00:00Z"); // the next Monday
    await at("2026-02-01T12:00:00Z"); // a Sunday: its week began in January
    // Somebody else's quote is nobody's bucket but theirs.
    await makeStory(api.dataSource, { publication, publishedAt: new Date("2026-01-05T11:00:00Z"), bullets: 1, speakers: [other] });
  });
  afterEach(() => api.close());

  it("buckets by UTC day, Monday week and month, oldest first, counting quotes and stories", async () => {
    expect(await timeline({ interval: "DAY" })).toEqual([
      { start: "2026-01-05T00:00:00.000Z", count: 3, stories: 2 },
      { start: "2026-01-11T00:00:00.000Z", count: 1, stories: 1 },
      { start: "2026-01-12T00:00:00.000Z", count: 1, stories: 1 },
      { start: "2026-02-01T00:00:00.000Z", count: 1, stories: 1 },
    ]);
    expect(await timeline({ interval: "WEEK" })).toEqual([
      { start: "2026-01-05T00:00:00.000Z", count: 4, stories: 3 },
      { start: "2026-01-12T00:00:00.000Z", count: 1, stories: 1 },
      { start: "2026-01-26T00:00:00.000Z", count: 1, stories: 1 },
    ]);
    expect(await timeline({ interval: "MONTH" })).toEqual([
      { start: "2026-01-01T00:00:00.000Z", count: 5, stories: 4 },
      { start: "2026-02-01T00:00:00.000Z", count: 1, stories: 1 },
    ]);
  });

  it("keeps to since (inclusive) and until (exclusive)", async () => {
    expect(await timeline({ interval: "DAY", since: "2026-01-06T00:00:00Z", until: "2026-02-01T12:00:00Z" })).toEqual([
      { start: "2026-01-11T00:00:00.000Z", count: 1, stories: 1 },
      { start: "2026-01-12T00:00:00.000Z", count: 1, stories: 1 },
    ]);
    expect(await timeline({ interval: "MONTH", since: "2027-01-01T00:00:00Z" })).toEqual([]);
  });

  it("rejects reversed, empty and absurd ranges, and unknown intervals, as bad input", async () => {
    for (const variables of [
      { interval: "DAY", since: "2026-02-01T00:00:00Z", until: "2026-01-01T00:00:00Z" },
      { interval: "DAY", since: "2026-02-01T00:00:00Z", until: "2026-02-01T00:00:00Z" },
      { interval: "WEEK", since: "0001-01-01T00:00:00Z" },
      { interval: "MONTH", until: "9999-12-31T00:00:00Z" },
      { interval: "DAY", since: "2026-13-45T00:00:00Z" },
      { interval: "YEAR" },
    ]) {
      const response = await api.gql(TIMELINE, { slug, ...variables });
      expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(response.body.data?.speaker ?? null).toBeNull();
    }
  });
});
