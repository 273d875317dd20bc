import { type KnownSpeaker, matchSpeaker } from "../../src/ingestion/speaker-match";

const known: KnownSpeaker[] = [
  // An earlier story put a misattributed surface form on this speaker.
  { id: 1, name: "Tomas Reuter", kind: "person", aliases: ["Reuter", "Ilse Brandt"] },
  { id: 2, name: "Mara Holt", kind: "person", aliases: ["Holt"] },
  { id: 3, name: "Daniel Holt", kind: "person", aliases: ["Holt"] },
  { id: 4, name: "Orlen", kind: "person", aliases: ["Piet Orlen"] },
  { id: 5, name: "Halvik Port Authority", kind: "organisation", aliases: [] },
];

describe("matchSpeaker", () => {
  it("never merges two people whose full names differ, whatever the aliases say", () => {
    expect(matchSpeaker({ name: "Ilse Brandt", kind: "person" }, known)).toBeNull();
  });

  it("matches a full name by its key, spelling variants folded", () => {
    expect(matchSpeaker({ name: "Mara Holt", kind: "person" }, known)?.id).toBe(2);
    expect(matchSpeaker({ name: "Tomas Reutter", kind: "person" }, known)?.id).toBe(1);
  });

  it("matches a lone surname only when one known person has it", () => {
    expect(matchSpeaker({ name: "Holt", kind: "person" }, known)).toBeNull();
    expect(matchSpeaker({ name: "Reuter", kind: "person" }, known)?.id).toBe(1);
  });

  it("joins a full name to a surname-only speaker through an alias with that surname", () => {
    expect(matchSpeaker({ name: "Piet Orlen", kind: "person" }, known)?.id).toBe(4);
  });

  it("matches a body named more or less fully", () => {
    expect(matchSpeaker({ name: "Port Authority", kind: "organisation" }, known)?.id).toBe(5);
  });
});
