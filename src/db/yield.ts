import { setImmediate } from "node:timers/promises";

/**
 * Lets timers and I/O run between the steps of a long write. better-sqlite3 answers
 * synchronously, so a transaction of many statements is one unbroken run of microtasks
 * unless it yields; with this between chunks, no write holds the event loop for long.
 */
export function yieldToEventLoop(): Promise<void> {
  return setImmediate();
}
