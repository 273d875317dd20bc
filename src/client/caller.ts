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

type Headers = Record<string, string | string[] | undefined>;

/**
 * The key a request presents, from `Authorization: Bearer KEY` or `x-api-key: KEY`; null
 * when it presents none. A header that is there but unusable is an error rather than
 * "anonymous", so a client with a broken key finds out at once instead of silently
 * getting anonymous limits.
 */
export function presentedKey(headers: Headers): string | null {
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

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/** Resolves the caller of a request; throws UNAUTHENTICATED for a key that is not valid. */
export async function identifyCaller(dataSource: DataSource, headers: Headers, options: { allowAnonymousReads: boolean }): Promise<Caller> {
  const key = presentedKey(headers);
  if (key === null) {
    if (!options.allowAnonymousReads) throw new UnauthenticatedError("This server needs an API key: send Authorization: Bearer <key>");
    return ANONYMOUS;
  }
  const app = await findClientAppByKey(dataSource, key);
  if (!app) throw new UnauthenticatedError("The API key is not valid (unknown or revoked)");
  if (!app.enabled) throw new UnauthenticatedError(`The client app "${app.name}" is disabled`);
  return { clientApp: app, role: app.role };
}
