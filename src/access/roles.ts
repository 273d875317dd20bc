import { registerEnumType } from "type-graphql";

/** What a client app may do. Each role includes the ones before it. */
export enum ClientRole {
  READER = "reader",
  EDITOR = "editor",
  ADMIN = "admin",
}
registerEnumType(ClientRole, {
  name: "ClientRole",
  description: "What a client app's key may do; each role includes the ones before it.",
  valuesConfig: {
    READER: { description: "Run queries." },
    EDITOR: { description: "Also ingest and correct stories." },
    ADMIN: { description: "Also manage client apps." },
  },
});

export const CLIENT_ROLES: readonly ClientRole[] = [ClientRole.READER, ClientRole.EDITOR, ClientRole.ADMIN];

/** A caller's role: a client app's role, or `anonymous` for a request without a key. */
export type CallerRole = "anonymous" | `${ClientRole}`;

const RANK: Record<CallerRole, number> = { anonymous: 0, reader: 1, editor: 2, admin: 3 };

export function hasRole(role: CallerRole, needed: CallerRole): boolean {
  return RANK[role] >= RANK[needed];
}

export function isClientRole(value: string): value is ClientRole {
  return (CLIENT_ROLES as readonly string[]).includes(value);
}
