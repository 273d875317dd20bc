import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

import { Node } from "../node/node.type";

export enum SpeakerKind {
  PERSON = "person",
  ORGANISATION = "organisation",
}
registerEnumType(SpeakerKind, {
  name: "SpeakerKind",
  description: "Whether the speaker is a person or an organisation (a ministry, the Kremlin, a company).",
  valuesConfig: {
    PERSON: { description: "A named person." },
    ORGANISATION: { description: "An organisation speaking as a body." },
  },
});

@Entity("speakers")
@ObjectType({ implements: Node, description: "A person or organisation quoted in stories." })
export class Speaker extends Node {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Field(() => String, { description: 'URL-safe unique key, e.g. "steve-witkoff".' })
  @Column({ type: "varchar", length: 200, unique: true })
  slug!: string;

  @Field(() => String, { description: "Canonical name, without titles." })
  @Column({ type: "varchar", length: 300 })
  name!: string;

  @Field(() => SpeakerKind, { description: "Person or organisation." })
  @Column({ type: "varchar", length: 20 })
  kind!: SpeakerKind;

  @Field(() => String, { nullable: true, description: 'Current role or title (the most recently seen), e.g. "US Special Envoy".' })
  @Column({ type: "varchar", length: 300, nullable: true })
  role!: string | null;

  /** The name folded for matching across spellings; see ingestion/names.ts. */
  @Column({ name: "name_key", type: "varchar", length: 300, default: "" })
  nameKey!: string;

  @Column({ name: "surname_key", type: "varchar", length: 100, default: "" })
  surnameKey!: string;

  /** Set when an editor merged this speaker into another; the row stays so old ids resolve. */
  @Column({ name: "merged_into_id", type: "integer", nullable: true })
  mergedIntoId!: number | null;
}
