import { type DataSource } from "typeorm";

import { Bullet } from "../../src/bullet/bullet.entity";
import { Publication } from "../../src/publication/publication.entity";
import { Quote } from "../../src/quote/quote.entity";
import { RelationReason, StoryRelation } from "../../src/relation/story-relation.entity";
import { SpeakerAlias } from "../../src/speaker/speaker-alias.entity";
import { Speaker, SpeakerKind } from "../../src/speaker/speaker.entity";
import { StoryTopic } from "../../src/story/story-topic.entity";
import { Story, StoryAccess } from "../../src/story/story.entity";

let sequence = 0;
const next = () => ++sequence;

export async function makePublication(ds: DataSource, overrides: Partial<Publication> = {}): Promise<Publication> {
  const n = next();
  return ds.getRepository(Publication).save({
    slug: `publication-${n}`,
    name: `Publication ${n} - UK`,
    brand: `Publication ${n}`,
    edition: "UK",
    homepageUrl: `https://publication-${n}.example/`,
    ...overrides,
  });
}

export async function makeSpeaker(ds: DataSource, overrides: Partial<Speaker> = {}, aliases: string[] = []): Promise<Speaker> {
  const n = next();
  const speaker = await ds.getRepository(Speaker).save({
    slug: `speaker-${n}`,
    name: `Speaker ${n}`,
    kind: SpeakerKind.PERSON,
    role: "minister",
    ...overrides,
  });
  if (aliases.length) await ds.getRepository(SpeakerAlias).insert(aliases.map((alias) => ({ speakerId: speaker.id, alias })));
  return speaker;
}

export interface StorySpec {
  publication: Publication;
  publishedAt?: Date;
  bullets?: number;
  /** Each bullet quotes these speakers in turn (one quote per bullet). */
  speakers?: Speaker[];
  topics?: string[];
  section?: string;
  headline?: string;
}

/** A story whose bullets each carry one quote, like a briefing. */
export async function makeStory(ds: DataSource, spec: StorySpec): Promise<Story> {
  const n = next();
  const publishedAt = spec.publishedAt ?? new Date(Date.UTC(2026, 0, 1, 0, n));
  const story = await ds.getRepository(Story).save({
    slug: `story-${n}`,
    publicationId: spec.publication.id,
    headline: spec.headline ?? `Headline ${n}`,
    standfirst: null,
    section: spec.section ?? "World",
    byline: "Staff",
    kind: "briefing",
    publishedAt,
    updatedAt: publishedAt,
    canonicalUrl: `https://example.test/story-${n}`,
    access: StoryAccess.OPEN,
    imageUrl: null,
    imageCaption: `Caption ${n}`,
    imageCredit: "Photographer/Agency",
  });
  if (spec.topics?.length) {
    await ds.getRepository(StoryTopic).insert(spec.topics.map((topic, position) => ({ storyId: story.id, topic, position })));
  }
  for (let position = 0; position < (spec.bullets ?? 0); position++) {
    const quoted = `words number ${position}`;
    const text = `Someone said “${quoted}” today.`;
    const bullet = await ds.getRepository(Bullet).save({ storyId: story.id, position, text });
    const speaker = spec.speakers?.length ? spec.speakers[position % spec.speakers.length] : null;
    await ds.getRepository(Quote).insert({
      storyId: story.id,
      bulletId: bullet.id,
      speakerId: speaker?.id ?? null,
      text: quoted,
      startOffset: text.indexOf(quoted),
      endOffset: text.indexOf(quoted) + quoted.length,
      context: text,
      publishedAt,
    });
  }
  return story;
}

export async function relate(ds: DataSource, story: Story, related: Story[], reason = RelationReason.EDITORIAL): Promise<void> {
  await ds
    .getRepository(StoryRelation)
    .insert(related.map((other, index) => ({ storyId: story.id, relatedStoryId: other.id, reason, rank: index + 1 })));
}
