import { type IncomingMessage } from "node:http";
import { type Readable } from "node:stream";
import zlib from "node:zlib";

import { ErrorCode } from "../errors";

/** Why a request body could not be read; answered as a GraphQL error with this status and code. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The JSON body of a GraphQL POST, read the way express.json() read it before the endpoint
 * left Express (the same limits and answers, without its per-request middleware stack):
 *
 * - no body, or a content type other than application/json: `undefined` (Apollo answers that);
 * - a charset other than UTF-8, or a content encoding other than gzip, deflate or br: 415;
 * - over `limitBytes` (declared or, after decompression, read): 413 PAYLOAD_TOO_LARGE;
 * - not a JSON object or array: 400 BAD_REQUEST; an empty body reads as `{}`.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  if (req.headers["transfer-encoding"] === undefined && req.headers["content-length"] === undefined) return undefined;
  const contentType = req.headers["content-type"];
  if (!contentType || mediaType(contentType) !== "application/json") return undefined;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase() ?? "utf-8";
  if (charset !== "utf-8" && charset !== "utf8") {
    throw new BodyError(415, ErrorCode.BadRequest, `The request body's charset "${charset}" is not supported; send UTF-8`);
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const text = (await readAll(decoded(req), limitBytes)).toString("utf8");
  if (text.length === 0) return {};
  const first = /\S/.exec(text)?.[0];
  if (first !== "{" && first !== "[") throw notJson();
  try {
    return JSON.parse(text);
  } catch {
    throw notJson();
  }
}

function mediaType(header: string): string {
  const semicolon = header.indexOf(";");
  return (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

function decoded(req: IncomingMessage): Readable {
  const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
  switch (encoding) {
    case "identity":
      return req;
    case "gzip":
      return req.pipe(zlib.createGunzip());
    case "deflate":
      return req.pipe(zlib.createInflate());
    case "br":
      return req.pipe(zlib.createBrotliDecompress());
    default:
      throw new BodyError(415, ErrorCode.BadRequest, `The request body's content encoding "${encoding}" is not supported`);
  }
}

function readAll(stream: Readable, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const fail = (error: Error) => {
      stream.removeAllListeners("data");
      stream.resume();
      reject(error);
    };
    stream.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > limitBytes) fail(tooLarge(limitBytes));
      else chunks.push(chunk);
    });
    stream.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length)));
    stream.once("error", (error: Error) =>
      fail(new BodyError(400, ErrorCode.BadRequest, `The request body cannot be read (${error.message.slice(0, 200)})`)),
    );
  });
}

const tooLarge = (limitBytes: number) =>
  new BodyError(413, ErrorCode.PayloadTooLarge, `The request body is over the limit of ${limitBytes} bytes`);

const notJson = () => new BodyError(400, ErrorCode.BadRequest, "The request body is not valid JSON");
