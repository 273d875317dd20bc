import { type DataSource } from "typeorm";

import { UnauthenticatedError } from "../errors";
import { type ClientApp } from "./client-app.entity";
import { findClientAppByKey } from "./client-apps";
import { type CallerRole } from "./roles";

/** Who is making a request: a client app (by its key) or an anonymous caller. */
export interface Caller {
  /** The caller's client app (id, name, role and its own limits); null when anonymous. */
  clientApp: ClientApp | null;
  role: CallerRole;
}

export const ANONYMOUS: Caller = Object.freeze({ clientApp: null, role: "anonymous" });

export type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * The key a request presents, from `Authorization: Bearer KEY` or `x-api-key: KEY`; null
 * when it presents none. A header that is there but unusable is an error rather than
 * "anonymous", so a client with a broken key finds out at once instead of silently
 * getting anonymous limits.
 */
export function presentedKey(headers: RequestHeaders): string | null {
  const authorization = single(headers.authorization);
  const apiKey = single(headers["x-api-key"]);
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <API key>"');
    if (apiKey !== undefined && apiKey.trim() !== match[1]) {
      throw new UnauthenticatedError("The Authorization and x-api-key headers name different keys; send one");
    }
    return match[1];
  }
  if (apiKey !== undefined) {
    if (apiKey.trim() === "") throw new UnauthenticatedError("The x-api-key header is empty");
    return apiKey.trim();
  }
  return null;
}

/** Whether a request names a key at all, usable or not: only then may identifying it read the database. */
export function presentsKey(headers: RequestHeaders): boolean {
  return headers.authorization !== undefined || headers["x-api-key"] !== undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * Why a presented key is refused: `revoked` also covers a key that never existed (the two
 * cannot be told apart from a hash, and a client should not learn which it was).
 */
export type KeyRefusal = "revoked" | "disabled";

/** Thrown for a key that is not (or no longer) valid; `refusal` picks a socket's close code. */
export class KeyRefusedError extends UnauthenticatedError {
  constructor(
    message: string,
    readonly refusal: KeyRefusal,
  ) {
    super(message);
  }
}

/** The caller a key stands for, or why it is refused. */
export function callerOf(app: ClientApp | null): Caller {
  if (!app) throw new KeyRefusedError("The API key is not valid (unknown or revoked)", "revoked");
  if (!app.enabled) throw new KeyRefusedError(`The client app "${app.name}" is disabled`, "disabled");
  return { clientApp: app, role: app.role };
}

/** Resolves the caller of a request; throws UNAUTHENTICATED for a key that is not valid. */
export async function identifyCaller(
  dataSource: DataSource,
  headers: RequestHeaders,
  options: { allowAnonymousReads: boolean },
): Promise<Caller> {
  const key = presentedKey(headers);
  if (key === null) {
    if (!options.allowAnonymousReads) throw new UnauthenticatedError("This server needs an API key: send Authorization: Bearer <key>");
    return ANONYMOUS;
  }
  return callerOf(await findClientAppByKey(dataSource, key));
}
