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
