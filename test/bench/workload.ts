import Database from "better-sqlite3";

import { FRONT_PAGE_SIZES } from "./operations";
import { Random } from "./prng";
import { dateCursor } from "./wire-format";

/** The pools of arguments requests draw from, in the order they are sent. */
export interface Workload {
  storySlugs: string[];
  speakerSlugs: string[];
  /**
   * `after` values for the front page; the first is null (the top of the list). Each is
   * followed by enough stories for the largest page, so that page sizes are compared on full
   * pages: a short page near the end needs fewer statements for reasons that say nothing.
   */
  cursors: Array<string | null>;
}

/**
 * Draws `size` arguments of each kind from the corpus. Pools start with distinct values, so
 * the leading ones the floor checks cover as many different rows as the corpus has; they
 * repeat only when the corpus is smaller than the pool.
 */
export function buildWorkload(databasePath: string, size: number, seed: number): Workload {
  const rng = new Random(seed);
  const db = new Database(databasePath, { readonly: true });
  try {
    const stories = db.prepare("SELECT id, slug, published_at FROM stories ORDER BY published_at DESC, id DESC").all() as Array<{
      id: number;
      slug: string;
      published_at: string;
    }>;
    const storySlugs = rng.shuffle(stories.map((story) => story.slug));
    const fullPages = stories.slice(0, Math.max(1, stories.length - Math.max(...FRONT_PAGE_SIZES)));
    const cursors = rng.shuffle(fullPages.map((story) => dateCursor(story.published_at, story.id)));

    // Readers look up speakers in proportion to how often they are quoted, so speakers are
    // drawn through random quotes, each kept once.
    const quoted = db.prepare("SELECT sp.slug FROM quotes q JOIN speakers sp ON sp.id = q.speaker_id").pluck().all() as string[];
    const speakerSlugs = [...new Set(rng.shuffle(quoted))];

    return { storySlugs: cycle(storySlugs, size), speakerSlugs: cycle(speakerSlugs, size), cursors: [null, ...cycle(cursors, size - 1)] };
  } finally {
    db.close();
  }
}

function cycle<T>(items: T[], size: number): T[] {
  if (items.length === 0) throw new Error("the corpus has nothing to draw requests from");
  return Array.from({ length: size }, (_, index) => items[index % items.length]);
}
