import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** One API key of a client app. Only its hash is stored; the key itself is shown once. */
@Entity("api_keys")
export class ApiKey {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Index("idx_api_keys_client_app")
  @Column({ name: "client_app_id", type: "integer" })
  clientAppId!: number;

  @Column({ name: "key_hash", type: "varchar", length: 64, unique: true })
  keyHash!: string;

  /** The first characters of the key, so an operator can tell keys apart in `client list`. */
  @Column({ type: "varchar", length: 20 })
  prefix!: string;

  @Column({ name: "created_at", type: Date })
  createdAt!: Date;

  @Column({ name: "revoked_at", type: Date, nullable: true })
  revokedAt!: Date | null;
}
