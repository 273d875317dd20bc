import { EventBus, SUBSCRIBER_QUEUE_LIMIT, TOPICS } from "../../src/events/event-bus";
import { manyQuotesPage } from "../helpers/big-pages";
import { startHttpServer } from "../helpers/http-server";
import { collect } from "../helpers/subscriptions";

describe("the event bus under load", () => {
  it("drops what a subscriber that does not read cannot hold, counts it, and never throws at the publisher", async () => {
    const bus = EventBus.inProcess();
    const stuck = bus.subscribe(TOPICS.storyUpdated);
    const event = { storyId: 1, publication: "p", section: null, topics: [] };
    const burst = SUBSCRIBER_QUEUE_LIMIT + 1_000;
    expect(() => {
      for (let i = 0; i < burst; i++) bus.publish(TOPICS.storyUpdated, { ...event, storyId: i + 1 });
    }).not.toThrow();
    const dropped = await bus.dropped.get();
    expect(dropped.values).toEqual([{ value: 1_000, labels: { topic: TOPICS.storyUpdated, reason: "queue_full" } }]);
    // What it holds is the oldest events, in order; it ends cleanly.
    expect((await stuck.next()).value).toEqual({ ...event, storyId: 1 });
    await stuck.return!();
    expect(bus.subscriberCount).toBe(0);
    await bus.close();
  });

  it("a 5,000-quote page over HTTP answers, tells a subscriber once, and the server stays up", async () => {
    const api = await startHttpServer();
    try {
      const editor = await api.key("desk", "editor");
      const quotes = await collect(api.url, `subscription { quoteAdded { count } }`);
      const stories = await collect(api.url, `subscription { storyPublished { headline } }`);
      const { body } = await api.gql(`mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { quotes } }`, {
        variables: { input: { text: manyQuotesPage(5_000, 10, "Five thousand") } },
        key: editor,
      });
      expect(body).toEqual({ data: { ingestArticle: { quotes: 5_000 } } });
      expect(await quotes.next(1)).toEqual([{ quoteAdded: { count: 5_000 } }]);
      expect(await stories.next(1)).toEqual([{ storyPublished: { headline: "Five thousand" } }]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect([quotes.values.length, stories.values.length]).toEqual([1, 1]);
      quotes.dispose();
      stories.dispose();
      expect((await api.request({ path: "/healthz" })).status).toBe(200);
      expect((await api.request({ path: "/metrics" })).text).toMatch(/^# TYPE newsgate_events_dropped_total counter$/m);
    } finally {
      await api.close();
    }
  });
});
