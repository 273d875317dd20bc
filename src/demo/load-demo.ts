import fs from "node:fs";

import { type DataSource, type EntityManager } from "typeorm";

import { Bullet } from "../bullet/bullet.entity";
import { writeTransaction } from "../db/write-queue";
import { sentenceAround } from "../ingestion/sentences";
import { Publication } from "../publication/publication.entity";
import { Quote } from "../quote/quote.entity";
import { refreshStatements } from "../quote/statements";
import { RelationReason, StoryRelation } from "../relation/story-relation.entity";
import { SearchIndex } from "../search/search-index";
import { nameKey, tokenKey } from "../ingestion/names";
import { SpeakerAlias } from "../speaker/speaker-alias.entity";
import { SpeakerRole } from "../speaker/speaker-role.entity";
import { Speaker, SpeakerKind } from "../speaker/speaker.entity";
import { StoryTopic } from "../story/story-topic.entity";
import { Story, StoryAccess } from "../story/story.entity";
import { fromRoot } from "../paths";

/** The shape of src/demo/demo-content.json: invented publications, people and stories. */
export interface DemoContent {
  publications: Array<{ slug: string; name: string; brand: string; edition: string | null; homepageUrl: string | null }>;
  speakers: Array<{ slug: string; name: string; kind: "person" | "organisation"; role: string | null; aliases: string[] }>;
  stories: Array<{
    slug: string;
    publication: string;
    headline: string;
    standfirst: string | null;
    section: string | null;
    byline: string | null;
    kind: string;
    publishedAt: string;
    canonicalUrl: string | null;
    access: "open" | "premium";
    image: { url: string | null; caption: string | null; credit: string | null } | null;
    topics: string[];
    bullets: Array<{ text: string; quotes: Array<{ text: string; speaker: string | null }> }>;
    related: Array<{ story: string; reason: "editorial" }>;
  }>;
}

export const DEMO_CONTENT_PATH = fromRoot("src", "demo", "demo-content.json");

export function readDemoContent(file = DEMO_CONTENT_PATH): DemoContent {
  return JSON.parse(fs.readFileSync(file, "utf8")) as DemoContent;
}

/** Loads the demo content in one transaction, when the database has no stories yet. */
export async function loadDemoIfEmpty(dataSource: DataSource, content: DemoContent = readDemoContent()): Promise<boolean> {
  return writeTransaction(dataSource, async (manager) => {
    if ((await manager.count(Story)) > 0) return false;
    await insertDemo(manager, content);
    await SearchIndex.indexAll(manager);
    return true;
  });
}

async function insertDemo(manager: EntityManager, content: DemoContent): Promise<void> {
  const publicationIds = new Map<string, number>();
  for (const p of content.publications) {
    const saved = await manager.save(manager.create(Publication, p));
    publicationIds.set(p.slug, saved.id);
  }

  const speakerIds = new Map<string, number>();
  for (const s of content.speakers) {
    const kind = s.kind === "organisation" ? SpeakerKind.ORGANISATION : SpeakerKind.PERSON;
    const saved = await manager.save(
      manager.create(Speaker, {
        slug: s.slug,
        name: s.name,
        kind,
        role: s.role,
        nameKey: nameKey(s.name),
        surnameKey: tokenKey(s.name.split(/\s+/).at(-1)!),
        mergedIntoId: null,
      }),
    );
    speakerIds.set(s.slug, saved.id);
    if (s.aliases.length > 0) {
      await manager.insert(
        SpeakerAlias,
        s.aliases.map((alias) => ({ speakerId: saved.id, alias, aliasKey: nameKey(alias) })),
      );
    }
    if (s.role) {
      const firstStory = content.stories
        .filter((story) => story.bullets.some((b) => b.quotes.some((q) => q.speaker === s.slug)))
        .map((story) => story.publishedAt)
        .sort()[0];
      await manager.insert(SpeakerRole, { speakerId: saved.id, role: s.role, seenAt: new Date(firstStory ?? Date.now()), storyId: null });
    }
  }

  const storyIds = new Map<string, number>();
  for (const s of content.stories) {
    const publicationId = lookup(publicationIds, s.publication, `story ${s.slug}: publication`);
    const publishedAt = new Date(s.publishedAt);
    const story = await manager.save(
      manager.create(Story, {
        slug: s.slug,
        publicationId,
        headline: s.headline,
        standfirst: s.standfirst,
        section: s.section,
        byline: s.byline,
        kind: s.kind,
        publishedAt,
        updatedAt: publishedAt,
        canonicalUrl: s.canonicalUrl,
        access: s.access === "premium" ? StoryAccess.PREMIUM : StoryAccess.OPEN,
        imageUrl: s.image?.url ?? null,
        imageCaption: s.image?.caption ?? null,
        imageCredit: s.image?.credit ?? null,
      }),
    );
    storyIds.set(s.slug, story.id);
    if (s.topics.length > 0) {
      await manager.insert(
        StoryTopic,
        s.topics.map((topic, position) => ({ storyId: story.id, topic, position })),
      );
    }
    for (const [position, b] of s.bullets.entries()) {
      const bullet = await manager.save(manager.create(Bullet, { storyId: story.id, position, text: b.text }));
      let searchFrom = 0;
      for (const q of b.quotes) {
        const start = b.text.indexOf(q.text, searchFrom);
        if (start < 0) throw new Error(`Demo content: quote "${q.text}" is not in bullet ${position} of ${s.slug}`);
        const end = start + q.text.length;
        searchFrom = end;
        await manager.insert(Quote, {
          storyId: story.id,
          bulletId: bullet.id,
          speakerId: q.speaker === null ? null : lookup(speakerIds, q.speaker, `story ${s.slug}: speaker`),
          text: q.text,
          startOffset: start,
          endOffset: end,
          context: sentenceAround(b.text, start, end),
          publishedAt,
        });
      }
    }
  }

  await refreshStatements(manager, speakerIds.values());

  for (const s of content.stories) {
    for (const [rank, r] of s.related.entries()) {
      await manager.insert(StoryRelation, {
        storyId: storyIds.get(s.slug)!,
        relatedStoryId: lookup(storyIds, r.story, `story ${s.slug}: related story`),
        reason: RelationReason.EDITORIAL,
        rank: rank + 1,
      });
    }
  }
}

function lookup(ids: Map<string, number>, slug: string, what: string): number {
  const id = ids.get(slug);
  if (id === undefined) throw new Error(`Demo content: ${what} "${slug}" does not exist`);
  return id;
}
