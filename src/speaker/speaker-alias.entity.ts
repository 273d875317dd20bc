import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** Another name a speaker goes by ("Witkoff", a transliteration), searchable by `speakers(search:)`. */
@Entity("speaker_aliases")
@Index("idx_speaker_aliases_alias", ["alias"])
export class SpeakerAlias {
  @PrimaryColumn({ name: "speaker_id", type: "integer" })
  speakerId!: number;

  @PrimaryColumn({ type: "varchar", length: 300 })
  alias!: string;

  @Column({ name: "alias_key", type: "varchar", length: 300, default: "" })
  aliasKey!: string;
}
