import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";

/** A graphql-ws client for a test server's /graphql, collecting what one subscription yields. */
export function subscriptionClient(httpUrl: string, connectionParams: Record<string, string> = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
}

export interface Collected<T> {
  values: T[];
  errors: unknown[];
  /** Resolves once `count` values have arrived (or rejects after `ms`). */
  next(count?: number, ms?: number): Promise<T[]>;
  dispose(): void;
}

/** Subscribes on a connection of its own; resolves once the server has the subscription. */
export function collect<T = any>(
  httpUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams: Record<string, string> = {},
): Promise<Collected<T>> {
  const client = subscriptionClient(httpUrl, connectionParams);
  const values: T[] = [];
  const errors: unknown[] = [];
  const waiters: Array<() => void> = [];
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) values.push(result.data as T);
        waiters.splice(0).forEach((wake) => wake());
      },
      error: (error) => {
        errors.push(error);
        waiters.splice(0).forEach((wake) => wake());
      },
      complete: () => undefined,
    },
  );
  // graphql-ws acknowledges the connection before the subscription starts; a short pause
  // after the ack lets the server register the subscription before the test publishes.
  const off = client.on("connected", () => setTimeout(subscribed, 150));
  client.on("closed", () => {
    errors.push(new Error("connection closed"));
    subscribed();
    waiters.splice(0).forEach((wake) => wake());
  });
  const dispose = () => {
    unsubscribe();
    void client.dispose();
  };
  return ready.then(() => {
    off();
    return {
      values,
      errors,
      dispose,
      next(count = 1, ms = 5000) {
        return new Promise<T[]>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`timed out waiting for ${count} event(s); got ${values.length}, errors ${JSON.stringify(errors)}`)),
            ms,
          );
          const check = () => {
            if (values.length >= count || errors.length > 0) {
              clearTimeout(timer);
              resolve(values.slice(0, count));
            } else waiters.push(check);
          };
          check();
        });
      },
    };
  });
}

/** What one operation over a socket came to: its result, its errors, or the socket closing. */
export interface SocketOutcome {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
  closed?: { code: number; reason: string };
}

type Payload = { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> };

/** One operation on a connection of its own (graphql-ws's client), closed afterwards. */
export async function socketOperation(
  httpUrl: string,
  payload: Payload,
  connectionParams: Record<string, string> = {},
): Promise<SocketOutcome> {
  const client = createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
  try {
    return await new Promise<SocketOutcome>((resolve) => {
      const outcome: SocketOutcome = {};
      client.subscribe(payload as { query: string }, {
        next: (result) => {
          if (result.data) outcome.data = result.data;
          if (result.errors) outcome.errors = result.errors as SocketOutcome["errors"];
        },
        error: (error) => {
          if (Array.isArray(error)) outcome.errors = error;
          else {
            const { code, reason } = error as { code: number; reason: string };
            outcome.closed = { code, reason };
          }
          resolve(outcome);
        },
        complete: () => resolve(outcome),
      });
    });
  } finally {
    await client.dispose();
  }
}

/**
 * A connection speaking the graphql-ws protocol by hand, acknowledged, that stays open until
 * the server closes it or `dispose()` (graphql-ws's own client closes an idle connection
 * between operations, which would hide who closed it).
 */
export interface OpenSocket {
  /**
   * Sends one operation; resolves with its first result, its errors, the socket closing, or
   * `{ pending: true }` when nothing came within `waitMs` (a subscription waiting for events).
   */
  run(payload: Payload, waitMs?: number): Promise<SocketOutcome & { pending?: true }>;
  closed: Promise<{ code: number; reason: string }>;
  isClosed(): boolean;
  dispose(): Promise<void>;
}

export async function openSocket(httpUrl: string, connectionParams: Record<string, string> = {}): Promise<OpenSocket> {
  const socket = new WebSocket(httpUrl.replace(/^http/, "ws"), "graphql-transport-ws");
  let closedWith: { code: number; reason: string } | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve((closedWith = { code, reason: reason.toString() }))),
  );
  const handlers = new Map<string, (message: { type: string; payload?: any }) => void>();
  let acknowledged!: () => void;
  const ack = new Promise<void>((resolve) => (acknowledged = resolve));
  socket.on("message", (raw) => {
    const message = JSON.parse(raw.toString());
    if (message.type === "connection_ack") acknowledged();
    else if (message.id) handlers.get(message.id)?.(message);
  });
  socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: connectionParams })));
  await Promise.race([ack, closed]);
  let nextId = 0;
  return {
    closed,
    isClosed: () => closedWith !== null,
    run(payload, waitMs = 10_000) {
      const id = String(++nextId);
      return new Promise((resolve) => {
        const finish = (outcome: SocketOutcome & { pending?: true }) => {
          clearTimeout(timer);
          handlers.delete(id);
          resolve(outcome);
        };
        const timer = setTimeout(() => finish({ pending: true }), waitMs);
        void closed.then((event) => finish({ closed: event }));
        handlers.set(id, (message) => {
          if (message.type === "next")
            finish({
              ...(message.payload.data ? { data: message.payload.data } : {}),
              ...(message.payload.errors ? { errors: message.payload.errors } : {}),
            });
          else if (message.type === "error") finish({ errors: message.payload });
          else if (message.type === "complete") finish({});
        });
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id, type: "subscribe", payload }));
      });
    },
    async dispose() {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(1000);
      await closed;
    },
  };
}
