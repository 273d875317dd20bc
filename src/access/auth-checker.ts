import { type AuthCheckerFn } from "type-graphql";

import { ForbiddenError, UnauthenticatedError } from "../errors";
import { type Caller } from "./caller";
import { type CallerRole, hasRole } from "./roles";

/**
 * type-graphql's `@Authorized("editor")`: roles are ordered (reader < editor < admin), so
 * the lowest role listed is enough; `@Authorized()` alone asks for any valid key.
 * Throwing our own errors instead of returning false gives clients our codes
 * (UNAUTHENTICATED with HTTP 401, FORBIDDEN with 403) rather than type-graphql's.
 */
export const authChecker: AuthCheckerFn<{ caller: Caller }, CallerRole> = ({ context }, roles) => {
  const needed = roles.length === 0 ? "reader" : roles.reduce((lowest, role) => (hasRole(lowest, role) ? role : lowest));
  const { caller } = context;
  if (hasRole(caller.role, needed)) return true;
  if (caller.clientApp === null) throw new UnauthenticatedError(`This needs an API key with the ${needed} role`);
  throw new ForbiddenError(`This needs the ${needed} role; the client app "${caller.clientApp.name}" has the ${caller.role} role`);
};
