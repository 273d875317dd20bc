import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

import { GraphQLDateTime } from "../relay/scalars";
import { ClientRole } from "./roles";

@Entity("client_apps")
@ObjectType({ description: "An app that calls Newsgate with its own API keys, role and limits." })
export class ClientApp {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Field(() => String, { description: 'Unique name, e.g. "ios-app".' })
  @Column({ type: "varchar", length: 100, unique: true })
  name!: string;

  @Field(() => ClientRole, { description: "What its keys may do." })
  @Column({ type: "varchar", length: 20 })
  role!: ClientRole;

  @Field(() => Int, { description: "Requests per minute across all its keys; 0 means no limit." })
  @Column({ name: "rate_limit_per_minute", type: "integer" })
  rateLimitPerMinute!: number;

  @Field(() => Int, { nullable: true, description: "Its own query depth limit; null uses the server's." })
  @Column({ name: "max_depth", type: "integer", nullable: true })
  maxDepth!: number | null;

  @Field(() => Int, { nullable: true, description: "Its own alias limit; null uses the server's." })
  @Column({ name: "max_aliases", type: "integer", nullable: true })
  maxAliases!: number | null;

  @Field(() => Int, { nullable: true, description: "Its own query cost limit; null uses the server's." })
  @Column({ name: "max_cost", type: "integer", nullable: true })
  maxCost!: number | null;

  @Field(() => Boolean, { description: "False while disabled: its keys are refused." })
  @Column({ type: "boolean" })
  enabled!: boolean;

  @Field(() => Boolean, { description: "True when it may send only the operations of its registered manifest (trusted documents)." })
  @Column({ name: "trusted_documents_only", type: "boolean", default: false })
  trustedDocumentsOnly!: boolean;

  @Field(() => GraphQLDateTime, { description: "When it was registered." })
  @Column({ name: "created_at", type: Date })
  createdAt!: Date;
}
