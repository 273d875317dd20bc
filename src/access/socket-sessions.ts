import { type GraphQLError } from "graphql";
import { type Logger } from "pino";
import { type DataSource } from "typeorm";

import { ErrorCode, TooManySubscriptionsError } from "../errors";
import { type Caller, callerOf, KeyRefusedError } from "./caller";
import { findClientAppByKey, findClientAppsByKeyHashes } from "./client-apps";
import { hashKey } from "./keys";

/**
 * Close codes of a socket whose key stops being valid (at connection_init or later): 4401
 * for a key that is missing, malformed, unknown or revoked (rotated out), 4403 for the key of
 * a disabled client app. The close reason starts with the `extensions.code` an HTTP request
 * gets in the same case, e.g. `UNAUTHENTICATED: The client app "x" is disabled`.
 */
export const SocketCloseCode = { Unauthenticated: 4401, Disabled: 4403 } as const;

/** One open WebSocket connection: who it is, the key it presented, its subscriptions. */
export interface SocketSession {
  caller: Caller;
  /** The key it authenticated with, re-checked on every operation; null when anonymous. */
  readonly key: string | null;
  /** Where anonymous rate limits and subscription caps count it. */
  readonly address: string | undefined;
  readonly subscriptions: Set<string>;
  close(code: number, reason: string): void;
}

/**
 * The open sockets of this process, so that a key that stops being valid stops its sockets:
 * each operation re-checks the key first (nothing runs once a disable or rotate has returned,
 * whichever process made it); a client-app event from the bus (`recheck(appId)`) closes that
 * app's sockets at once on every replica; and a sweep every few seconds catches changes no
 * event announced (the CLI without Redis). Also caps subscriptions per connection and per
 * client app (per anonymous address).
 */
export class SocketSessions {
  private readonly sessions = new Set<SocketSession>();
  private readonly perOwner = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: { maxSubscriptionsPerConnection: number; maxSubscriptionsPerApp: number; socketKeyCheckSeconds: number },
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(
      () => void this.recheck().catch((err) => logger.warn({ err }, "socket key sweep failed")),
      limits.socketKeyCheckSeconds * 1000,
    );
    this.timer.unref();
  }

  open(session: SocketSession): void {
    this.sessions.add(session);
  }

  closed(session: SocketSession): void {
    if (!this.sessions.delete(session)) return;
    for (const id of [...session.subscriptions]) this.subscriptionEnded(session, id);
  }

  /** The session's caller as of now: closes the socket and throws when its key is no longer valid. */
  async current(session: SocketSession): Promise<Caller> {
    if (session.key === null) return session.caller;
    try {
      session.caller = callerOf(await findClientAppByKey(this.dataSource, session.key));
      return session.caller;
    } catch (error) {
      if (error instanceof KeyRefusedError) this.refuse(session, error);
      throw error;
    }
  }

  /** Counts a subscription against the connection's and its owner's caps; throws when either is full. */
  subscriptionStarted(session: SocketSession, id: string): void {
    if (session.subscriptions.size >= this.limits.maxSubscriptionsPerConnection) {
      throw new TooManySubscriptionsError(
        `A connection may hold ${this.limits.maxSubscriptionsPerConnection} subscriptions at once; complete one first`,
        "subscriptions per connection",
      );
    }
    const owner = ownerOf(session);
    const open = this.perOwner.get(owner) ?? 0;
    if (open >= this.limits.maxSubscriptionsPerApp) {
      throw new TooManySubscriptionsError(
        `${session.caller.clientApp ? `The client app "${session.caller.clientApp.name}"` : "Anonymous callers from this address"} may hold ${this.limits.maxSubscriptionsPerApp} subscriptions at once; complete one first`,
        "subscriptions per client app",
      );
    }
    session.subscriptions.add(id);
    this.perOwner.set(owner, open + 1);
  }

  subscriptionEnded(session: SocketSession, id: string): void {
    if (!session.subscriptions.delete(id)) return;
    const owner = ownerOf(session);
    const left = (this.perOwner.get(owner) ?? 1) - 1;
    if (left > 0) this.perOwner.set(owner, left);
    else this.perOwner.delete(owner);
  }

  /**
   * Re-checks the keys of the open sockets (of one client app, or all) in two statements and
   * closes those no longer valid; refreshes the others' role and limits.
   */
  async recheck(clientAppId?: number): Promise<void> {
    const keyed = [...this.sessions].filter(
      (session) => session.key !== null && (clientAppId === undefined || session.caller.clientApp?.id === clientAppId),
    );
    if (keyed.length === 0) return;
    const apps = await findClientAppsByKeyHashes(this.dataSource, [...new Set(keyed.map((session) => hashKey(session.key!)))]);
    for (const session of keyed) {
      if (!this.sessions.has(session)) continue;
      try {
        session.caller = callerOf(apps.get(hashKey(session.key!)) ?? null);
      } catch (error) {
        if (!(error instanceof KeyRefusedError)) throw error;
        this.refuse(session, error);
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private refuse(session: SocketSession, error: KeyRefusedError): void {
    this.logger.info(
      { clientApp: session.caller.clientApp?.name, refusal: error.refusal },
      "closing a socket whose key is no longer valid",
    );
    session.close(closeCodeOf(error), closeReason(error));
    this.closed(session);
  }
}

/** Subscription caps count a client app over all its sockets, an anonymous caller by address. */
function ownerOf(session: SocketSession): string {
  return session.caller.clientApp ? `app:${session.caller.clientApp.id}` : `ip:${session.address ?? "unknown"}`;
}

export function closeCodeOf(error: GraphQLError): number {
  return error instanceof KeyRefusedError && error.refusal === "disabled" ? SocketCloseCode.Disabled : SocketCloseCode.Unauthenticated;
}

/** `CODE: message`, cut to the 123 bytes a close frame's reason may hold. */
export function closeReason(error: GraphQLError): string {
  let reason = `${String(error.extensions.code ?? ErrorCode.Unauthenticated)}: ${error.message}`;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}
