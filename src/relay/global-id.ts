import { BadInputError } from "../errors";

/** The GraphQL types that implement `Node`, and so can be named in a global id. */
export const NODE_TYPES = ["Publication", "Story", "Bullet", "Speaker", "Quote", "Correction", "Feed"] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/**
 * Global ids are opaque to clients: base64url of "Type:databaseId". Clients must not parse
 * them; we keep the format simple so support engineers can.
 */
export function toGlobalId(type: NodeTypeName, id: number): string {
  // Encoded through one scratch buffer: a rendered story page makes some fifty ids, and a
  // Buffer for each was a tenth of what a request allocates. "Type:id" is ASCII, and far
  // shorter than the scratch (type names are at most 12 characters, a number's text 24).
  const length = scratch.write(`${type}:${id}`, 0, "latin1");
  return scratch.toString("base64url", 0, length);
}

const scratch = Buffer.alloc(64);

/**
 * The largest row id: ids are 32-bit integer columns on PostgreSQL. An id beyond it names
 * nothing, and is refused as bad input before any SQL (PostgreSQL would fail the statement).
 */
export const MAX_ROW_ID = 2_147_483_647;

export interface DecodedGlobalId {
  type: NodeTypeName;
  id: number;
}

export function fromGlobalId(globalId: string): DecodedGlobalId {
  const decoded = /^[A-Za-z0-9_-]+$/.test(globalId) ? Buffer.from(globalId, "base64url").toString("utf8") : "";
  const match = /^([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(decoded);
  if (!match || !(NODE_TYPES as readonly string[]).includes(match[1]) || Number(match[2]) > MAX_ROW_ID) {
    throw new BadInputError(`"${truncate(globalId)}" is not a valid Newsgate id`, { argument: "id" });
  }
  return { type: match[1] as NodeTypeName, id: Number(match[2]) };
}

/** Decodes an id that must name a particular type, e.g. `story(id:)` given a Speaker id is bad input. */
export function fromGlobalIdOfType(globalId: string, type: NodeTypeName): number {
  const decoded = fromGlobalId(globalId);
  if (decoded.type !== type) {
    throw new BadInputError(`"${truncate(globalId)}" is a ${decoded.type} id, expected a ${type} id`, { argument: "id" });
  }
  return decoded.id;
}

export function truncate(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
