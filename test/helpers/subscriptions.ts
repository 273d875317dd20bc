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

/** Runs one operation (query, mutation, or a subscription's first event) on `client`. */
export function runOn(
  client: Client,
  payload: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
  ms = 10_000,
): Promise<SocketOutcome> {
  return new Promise((resolve, reject) => {
    const outcome: SocketOutcome = {};
    const timer = setTimeout(() => reject(new Error(`no answer over the socket within ${ms} ms`)), ms);
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve(outcome);
    };
    const unsubscribe = client.subscribe(payload as { query: string }, {
      next: (result) => {
        if (result.data) outcome.data = result.data;
        if (result.errors) outcome.errors = result.errors as SocketOutcome["errors"];
        done();
      },
      error: (error) => {
        if (Array.isArray(error)) outcome.errors = error;
        else if (typeof (error as { code?: unknown }).code === "number") {
          const { code, reason } = error as { code: number; reason: string };
          outcome.closed = { code, reason };
        } else outcome.errors = [{ message: String(error) }];
        done();
      },
      complete: done,
    });
  });
}

/** One operation on a connection of its own, closed afterwards. */
export async function socketOperation(
  httpUrl: string,
  payload: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
  connectionParams: Record<string, string> = {},
): Promise<SocketOutcome> {
  const client = createClient({ url: httpUrl.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  try {
    return await runOn(client, payload);
  } finally {
    await client.dispose();
  }
}

/** An open, acknowledged connection and how (if ever) the server closed it. */
export interface OpenSocket {
  client: Client;
  closed: Promise<{ code: number; reason: string }>;
  /** Whether the server has closed it by now. */
  isClosed(): boolean;
  dispose(): Promise<void>;
}

export async function openSocket(httpUrl: string, connectionParams: Record<string, string> = {}): Promise<OpenSocket> {
  let closedWith: { code: number; reason: string } | null = null;
  let onClosed!: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closedWith = { code, reason };
        onClosed(closedWith);
        onConnected();
      },
    },
  });
  await connected;
  return { client, closed, isClosed: () => closedWith !== null, dispose: () => client.dispose() as Promise<void> };
}
