import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey, groupByKey } from "../db/batch";
import { type LoaderOptions } from "../db/loader-options";
import { SpeakerAlias } from "./speaker-alias.entity";
import { SpeakerRole } from "./speaker-role.entity";
import { Speaker } from "./speaker.entity";

export function createSpeakerLoaders(dataSource: DataSource, options: LoaderOptions) {
  const speakers = dataSource.getRepository(Speaker);
  const aliases = dataSource.getRepository(SpeakerAlias);
  const roles = dataSource.getRepository(SpeakerRole);
  return {
    /**
     * A merged speaker's id answers with the speaker it was merged into, so ids clients
     * stored before the merge keep working. Merges are rare: the follow-up query almost
     * never runs.
     */
    speakerById: new DataLoader<number, Speaker | null>(async (ids) => {
      const rows = await speakers.findBy({ id: In([...ids]) });
      const targets = rows.filter((row) => row.mergedIntoId !== null).map((row) => row.mergedIntoId!);
      const merged = targets.length ? await speakers.findBy({ id: In(targets) }) : [];
      const byId = new Map([...rows, ...merged].map((row) => [row.id, row]));
      return byKey(ids, rows, (speaker) => speaker.id).map((row) => {
        let speaker = row;
        for (let hops = 0; speaker?.mergedIntoId != null && hops < 5; hops++) speaker = byId.get(speaker.mergedIntoId) ?? null;
        return speaker;
      });
    }, options),

    aliasesBySpeakerId: new DataLoader<number, string[]>(async (ids) => {
      const rows = await aliases.find({ where: { speakerId: In([...ids]) }, order: { alias: "ASC" } });
      return groupByKey(ids, rows, (row) => row.speakerId).map((group) => group.map((row) => row.alias));
    }, options),

    rolesBySpeakerId: new DataLoader<number, SpeakerRole[]>(async (ids) => {
      const rows = await roles.find({ where: { speakerId: In([...ids]) }, order: { seenAt: "DESC", id: "DESC" } });
      return groupByKey(ids, rows, (row) => row.speakerId);
    }, options),
  };
}
