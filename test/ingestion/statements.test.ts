import { groupStatements, statementKey } from "../../src/ingestion/statements";

const at = (day: number) => new Date(Date.UTC(2026, 2, day));

describe("statement grouping", () => {
  it("folds quotation marks, case, punctuation, apostrophes and spacing", () => {
    expect(statementKey("  “We’re NOT  leaving,” — ok?")).toBe("were not leaving ok");
    expect(statementKey("we're not leaving... OK")).toBe("were not leaving ok");
    expect(statementKey("«Ça   suffit»")).toBe("ça suffit");
    expect(statementKey("!!!")).toBe("");
  });

  it("groups equal and contained quotes under the earliest report, on whole words only", () => {
    const groups = groupStatements([
      { id: 1, text: "The harbour stays open, whatever the ministry decides in spring.", publishedAt: at(3) },
      { id: 2, text: "the harbour stays open whatever the ministry decides in spring", publishedAt: at(2) },
      { id: 3, text: "whatever the ministry decides in spring", publishedAt: at(4) },
      { id: 4, text: "stays open", publishedAt: at(1) },
      // A partial quote must match whole words: "harbours" is not "harbour".
      { id: 5, text: "The harbours stay open, whatever the ministry decides in spring", publishedAt: at(1) },
      { id: 6, text: "", publishedAt: at(1) },
    ]);
    expect(Object.fromEntries(groups)).toEqual({ 1: 2, 2: 2, 3: 5, 4: 4, 5: 5, 6: 6 });
  });

  it("ties on publication time go to the lower id, and a quote alone is its own statement", () => {
    const groups = groupStatements([
      { id: 9, text: "Not one more ferry will be cut", publishedAt: at(1) },
      { id: 7, text: "not one more ferry will be cut!", publishedAt: at(1) },
      { id: 8, text: "Something else entirely was said here", publishedAt: at(1) },
    ]);
    expect(Object.fromEntries(groups)).toEqual({ 7: 7, 8: 8, 9: 7 });
  });
});
