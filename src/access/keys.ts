import { createHash, randomBytes } from "node:crypto";

const KEY_PREFIX = "ng_";

/** A new API key: "ng_" and 32 random bytes in base64url (43 characters). */
export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * Keys are stored as a plain SHA-256. Slow password hashes (bcrypt, scrypt) exist to make
 * guessing low-entropy passwords expensive; a 256-bit random key cannot be guessed, so a
 * fast hash loses nothing, and it lets a request find its key with one indexed lookup
 * instead of comparing against every stored hash.
 */
export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What `client list` shows of a key: enough to tell keys apart, useless to an attacker. */
export function displayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}
