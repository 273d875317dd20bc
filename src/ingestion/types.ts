/** What `parseArticle` returns: plain data, no database or GraphQL types. */
export interface ParsedStory {
  publication: ParsedPublication | null;
  section: string | null;
  byline: string | null;
  headline: string;
  image: { caption: string | null; credit: string | null } | null;
  /** Body units: the "•" bullets, or the paragraphs of a page without bullets. */
  bullets: string[];
  quotes: ParsedQuote[];
  /** One entry per person or organisation quoted, mentions of one speaker merged. */
  speakers: ParsedSpeaker[];
  /** Topic slugs derived from the page (e.g. the briefing series in the headline). */
  topics: string[];
}

export interface ParsedPublication {
  /** The line as printed: "The Guardian - AU". */
  name: string;
  brand: string;
  edition: string | null;
}

/** How an attribution was made, so an editor can judge it. */
export type AttributionRule = "tag-after" | "tag-before" | "sentence-subject" | "pronoun" | "description" | "continuation" | "none";

export interface ParsedQuote {
  bullet: number;
  /** Exactly the characters between the marks. */
  text: string;
  start: number;
  end: number;
  /** The sentence (or sentences, for a quote that spans several) around the quote. */
  context: string;
  /** Index into `speakers`, or null when no speaker could be found. */
  speaker: number | null;
  rule: AttributionRule;
  /** 0..1: how sure the rule is. Stored with the quote, never hidden. */
  confidence: number;
}

export type SpeakerKindName = "person" | "organisation";

export interface ParsedSpeaker {
  name: string;
  kind: SpeakerKindName;
  role: string | null;
  /** The surface forms this article used: "French president Emmanuel Macron", "Macron". */
  mentions: string[];
}
