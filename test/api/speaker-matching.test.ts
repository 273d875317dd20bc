import { page } from "../helpers/generated-pages";
import { startTestServer, type TestServer } from "../helpers/test-server";

const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) {
    speakersNew speakersMatched
    story { quotes { text speaker { id name role } } }
  }
}`;

/**
 * Speakers meet across stories only when they are the same person: full names that differ
 * never merge, and a lone surname never goes to one of two people who share it.
 */
describe("speaker matching across stories, through ingestArticle over HTTP", () => {
  let api: TestServer;
  let editor: string;
  beforeEach(async () => {
    api = await startTestServer();
    editor = await api.key("newsdesk", "editor");
  });
  afterEach(() => api.close());

  async function ingest(headline: string, units: string[]) {
    const { body } = await api.gql(INGEST, { input: { text: page(units, headline) } }, { key: editor });
    expect(body.errors).toBeUndefined();
    return body.data.ingestArticle as {
      speakersNew: number;
      speakersMatched: number;
      story: { quotes: Array<{ text: string; speaker: { id: string; name: string; role: string | null } | null }> };
    };
  }

  it("keeps two people with one surname apart, matches a full name again, and leaves a lone shared surname alone", async () => {
    const first = await ingest("Harbour dues to rise in the spring", ["“The dues will rise in April,” said harbourmaster Mara Holt."]);
    expect(first.speakersNew).toBe(1);
    const second = await ingest("Ferry timetable cut for winter", [
      "“We will run four crossings a day,” said Daniel Holt, the ferry operator.",
    ]);
    expect([second.speakersNew, second.speakersMatched]).toEqual([1, 0]);
    expect(second.story.quotes[0].speaker?.id).not.toBe(first.story.quotes[0].speaker?.id);

    const third = await ingest("Harbour dues: the council votes", ["“The vote went our way,” Mara Holt said on Tuesday."]);
    expect([third.speakersNew, third.speakersMatched]).toEqual([0, 1]);
    expect(third.story.quotes[0].speaker?.id).toBe(first.story.quotes[0].speaker?.id);

    // Only "Holt" in this story, and two Holts known: neither of them gets the quote.
    const fourth = await ingest("Quay repairs delayed again", ["“Nobody told us about the delay,” Holt said."]);
    expect([fourth.speakersNew, fourth.speakersMatched]).toEqual([1, 0]);
    expect([first.story.quotes[0].speaker?.id, second.story.quotes[0].speaker?.id]).not.toContain(fourth.story.quotes[0].speaker?.id);
  });

  it("stores only roles that are roles: no sentence fragment, no honorific", async () => {
    const story = await ingest("Storm closes the coast road", [
      "“The road stays shut until Friday,” Dr. Ines Calder said.",
      "Finally Calder added: “Please stay at home.”",
    ]);
    const speakers = story.story.quotes.map((q) => q.speaker);
    expect(speakers.map((s) => s?.name)).toEqual(["Ines Calder", "Ines Calder"]);
    expect(speakers[0]?.role ?? null).toBeNull();
  });
});
