import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { type LookupFunction } from "node:net";
import { type Readable } from "node:stream";
import zlib from "node:zlib";

import ipaddr from "ipaddr.js";

import { type FeedSettings } from "../config";

/** What every outbound request for feeds obeys (see `FeedSettings`). */
export type FetchPolicy = Pick<FeedSettings, "fetchTimeoutMs" | "maxBytes" | "maxRedirects" | "allowHosts" | "userAgent">;

export type FetchFailure = "refused" | "timeout" | "too_large" | "http" | "network";

/** A fetch that did not produce a usable response; `transient` ones are worth retrying later. */
export class FetchError extends Error {
  override name = "FetchError";
  constructor(
    message: string,
    readonly kind: FetchFailure,
    readonly status: number | null = null,
    /** From the server's Retry-After, when it sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** Timeouts, network errors, 429 and 5xx may pass; a refusal, a 404 or an oversized body will not. */
  get transient(): boolean {
    if (this.kind === "timeout" || this.kind === "network") return true;
    return this.kind === "http" && this.status !== null && (this.status === 429 || this.status >= 500);
  }
}

export interface FetchResult {
  /** 200-299, or 304 when a conditional request found nothing new (then `body` is empty). */
  status: number;
  /** The address finally answered, after redirects. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * GET with the guards a server fetching publisher-supplied URLs needs: http(s) only, every
 * address a host resolves to must be public (unless the host is allowed by the operator),
 * checked at connect time so DNS cannot change between the check and the connection; each
 * redirect is a new request checked the same way; one deadline covers the whole exchange;
 * bodies are cut off at the size limit, decompressed bytes counted.
 */
export async function safeFetch(url: string, policy: FetchPolicy, headers: Record<string, string> = {}): Promise<FetchResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), policy.fetchTimeoutMs);
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      const response = await requestOnce(current, policy, headers, controller.signal);
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && response.location) {
        if (hop >= policy.maxRedirects) throw new FetchError(`more than ${policy.maxRedirects} redirects from ${url}`, "refused");
        current = new URL(response.location, current).toString();
        continue;
      }
      if (response.status === 304 || (response.status >= 200 && response.status < 300)) return { ...response, url: current };
      throw new FetchError(
        `${current} answered HTTP ${response.status}`,
        "http",
        response.status,
        retryAfterSeconds(response.headers["retry-after"]),
      );
    }
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof FetchError && error.kind !== "network")) {
      throw new FetchError(`${url} took longer than ${policy.fetchTimeoutMs} ms`, "timeout");
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  location: string | null;
  body: Buffer;
}

function requestOnce(raw: string, policy: FetchPolicy, headers: Record<string, string>, signal: AbortSignal): Promise<RawResponse> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return Promise.reject(new FetchError(`"${raw.slice(0, 200)}" is not a URL`, "refused"));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.reject(new FetchError(`${url.protocol} URLs are not fetched (http and https only)`, "refused"));
  }
  if (url.username || url.password) return Promise.reject(new FetchError("URLs with credentials are not fetched", "refused"));
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const allowed = policy.allowHosts.includes(host);
  // Node connects to an address literal without calling `lookup`, so literals are checked here.
  if (!allowed && ipaddr.isValid(host)) {
    const refusal = refusedAddress(host);
    if (refusal) return Promise.reject(new FetchError(`${host} is ${refusal}; not fetched`, "refused"));
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "GET",
        signal,
        // A fresh connection per request: a pooled socket would skip the address check.
        agent: false,
        lookup: allowed ? undefined : checkedLookup,
        headers: {
          "user-agent": policy.userAgent,
          accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.9, text/xml;q=0.8, */*;q=0.5",
          "accept-encoding": "gzip, deflate, br",
          connection: "close",
          ...headers,
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = typeof response.headers.location === "string" ? response.headers.location : null;
        if (status === 304 || (status >= 300 && status < 400) || status >= 400) {
          // The body of a redirect or an error is not needed; the connection closes.
          response.resume();
          resolve({ status, headers: response.headers, location, body: Buffer.alloc(0) });
          return;
        }
        const declared = Number(response.headers["content-length"]);
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          response.destroy();
          reject(tooLarge(url, policy));
          return;
        }
        readLimited(decoded(response), policy.maxBytes).then(
          (body) => resolve({ status, headers: response.headers, location, body }),
          (error: unknown) => {
            response.destroy();
            reject(error === TOO_LARGE ? tooLarge(url, policy) : network(url, error));
          },
        );
      },
    );
    request.on("error", (error) => reject(error instanceof FetchError ? error : network(url, error)));
    request.end();
  });
}

/** DNS for hosts not on the allow list: every address must be public, or the connection is refused. */
const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
    if (error) return callback(error, "", 4);
    for (const { address } of addresses) {
      const refusal = refusedAddress(address);
      if (refusal) return callback(new FetchError(`${hostname} resolves to ${address}, ${refusal}; not fetched`, "refused"), "", 4);
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/** Why an address must not be fetched, or null for a public unicast one. */
export function refusedAddress(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // `process` turns IPv4-mapped IPv6 (::ffff:127.0.0.1) back into the IPv4 address it hides.
    parsed = ipaddr.process(address);
  } catch {
    return "not an address";
  }
  const range = parsed.range();
  // NAT64, 6to4 and Teredo addresses embed an IPv4 address we cannot vet, so only plain unicast passes.
  return range === "unicast" ? null : `a ${range} address`;
}

const TOO_LARGE = Symbol("too large");

function readLimited(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stream.destroy();
        reject(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function decoded(response: http.IncomingMessage): Readable {
  switch (String(response.headers["content-encoding"] ?? "").toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return response.pipe(zlib.createGunzip()).on("error", () => response.destroy());
    case "deflate":
      return response.pipe(zlib.createInflate()).on("error", () => response.destroy());
    case "br":
      return response.pipe(zlib.createBrotliDecompress()).on("error", () => response.destroy());
    default:
      return response;
  }
}

function tooLarge(url: URL, policy: FetchPolicy): FetchError {
  return new FetchError(`${url.toString()} is larger than ${policy.maxBytes} bytes`, "too_large");
}

function network(url: URL, error: unknown): FetchError {
  const code = (error as NodeJS.ErrnoException).code;
  return new FetchError(`${url.toString()}: ${code ?? (error as Error).message}`, "network");
}

/** Retry-After is whole seconds or an HTTP date. */
export function retryAfterSeconds(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The body as text, in the charset the response declares (UTF-8 when it declares none or one we do not know). */
export function decodeText(response: FetchResult): string {
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(String(response.headers["content-type"] ?? ""))?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(response.body);
  } catch {
    return new TextDecoder("utf-8").decode(response.body);
  }
}
