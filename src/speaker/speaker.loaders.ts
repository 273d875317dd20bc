import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey, groupByKey } from "../db/batch";
import { SpeakerAlias } from "./speaker-alias.entity";
import { Speaker } from "./speaker.entity";
import { type LoaderOptions } from "../db/loader-options";

export function createSpeakerLoaders(dataSource: DataSource, options: LoaderOptions) {
  const speakers = dataSource.getRepository(Speaker);
  const aliases = dataSource.getRepository(SpeakerAlias);
  return {
    speakerById: new DataLoader<number, Speaker | null>(
      async (ids) => byKey(ids, await speakers.findBy({ id: In([...ids]) }), (speaker) => speaker.id),
      options,
    ),
    aliasesBySpeakerId: new DataLoader<number, string[]>(async (ids) => {
      const rows = await aliases.find({ where: { speakerId: In([...ids]) }, order: { alias: "ASC" } });
      return groupByKey(ids, rows, (row) => row.speakerId).map((group) => group.map((row) => row.alias));
    }, options),
  };
}
