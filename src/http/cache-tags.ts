/**
 * What a cached response depends on, as tags. A response is tagged with every Story and
 * Speaker it shows (found while its fields resolve), with `lists` when it shows a list that
 * a new story can join, and with `corrections` when it shows the corrections log. A write
 * names the tags it made stale, and exactly the responses carrying one of them are dropped.
 */
export const LISTS_TAG = "lists";
export const CORRECTIONS_TAG = "corrections";
export const storyTag = (id: number | string) => `story:${id}`;
export const speakerTag = (id: number | string) => `speaker:${id}`;

export interface WriteEffects {
  storyIds?: Iterable<number | null | undefined>;
  speakerIds?: Iterable<number | null | undefined>;
  /** A story was added, or a change alters membership or order of lists (a merge, a rename). */
  lists?: boolean;
  /** An editorial correction was recorded. */
  correction?: boolean;
}

export function tagsOf(effects: WriteEffects): string[] {
  const tags = new Set<string>();
  for (const id of effects.storyIds ?? []) if (id != null) tags.add(storyTag(id));
  for (const id of effects.speakerIds ?? []) if (id != null) tags.add(speakerTag(id));
  if (effects.lists) tags.add(LISTS_TAG);
  if (effects.correction) tags.add(CORRECTIONS_TAG);
  return [...tags];
}
