import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/** One operation in a client app's registered manifest, by the sha256 of its text. */
@Entity("trusted_documents")
export class TrustedDocument {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ name: "client_app_id", type: "integer" })
  clientAppId!: number;

  @Column({ type: "varchar", length: 64 })
  hash!: string;

  @Column({ name: "operation_name", type: "varchar", length: 200, nullable: true })
  operationName!: string | null;

  @Column({ type: "text" })
  body!: string;

  @Column({ name: "created_at", type: Date })
  createdAt!: Date;
}
