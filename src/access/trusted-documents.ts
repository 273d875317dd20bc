import { createHash } from "node:crypto";

import { parse } from "graphql";
import { type DataSource } from "typeorm";

import { writeTransaction } from "../db/write-queue";
import { BadInputError, ForbiddenError, NotFoundError } from "../errors";
import { ClientApp } from "./client-app.entity";
import { TrustedDocument } from "./trusted-document.entity";

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

interface ManifestOperation {
  id: string;
  name?: string;
  body: string;
}

/**
 * Reads a persisted-operation manifest in Apollo's format
 * (`{ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, name, type, body }] }`),
 * or a plain `{ "<sha256>": "<document>" }` map. Every id must be the sha256 of its body and
 * every body must parse: a manifest is all good or not registered at all.
 */
export function readManifest(json: string): ManifestOperation[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new BadInputError(`the manifest is not JSON: ${(error as Error).message}`);
  }
  const operations: ManifestOperation[] =
    raw && typeof raw === "object" && Array.isArray((raw as { operations?: unknown }).operations)
      ? (raw as { operations: ManifestOperation[] }).operations
      : raw && typeof raw === "object"
        ? Object.entries(raw as Record<string, unknown>).map(([id, body]) => ({ id, body: String(body) }))
        : [];
  if (operations.length === 0) throw new BadInputError("the manifest lists no operations");
  for (const [index, operation] of operations.entries()) {
    if (typeof operation?.body !== "string" || typeof operation.id !== "string")
      throw new BadInputError(`operation ${index + 1} needs an "id" and a "body"`);
    if (sha256(operation.body) !== operation.id.toLowerCase()) {
      throw new BadInputError(
        `operation ${index + 1}${operation.name ? ` (${operation.name})` : ""}: its id is not the sha256 of its body`,
      );
    }
    try {
      parse(operation.body);
    } catch (error) {
      throw new BadInputError(
        `operation ${index + 1}${operation.name ? ` (${operation.name})` : ""} does not parse: ${(error as Error).message}`,
      );
    }
  }
  return operations;
}

/** Replaces a client app's manifest and restricts it to those operations, in one transaction. */
export async function registerManifest(
  dataSource: DataSource,
  appName: string,
  json: string,
): Promise<{ clientApp: ClientApp; operations: number }> {
  const operations = readManifest(json);
  return writeTransaction(dataSource, async (manager) => {
    const clientApp = await manager.findOneBy(ClientApp, { name: appName });
    if (!clientApp) throw new NotFoundError(`no client app is named "${appName}"`);
    await manager.delete(TrustedDocument, { clientAppId: clientApp.id });
    const unique = new Map(operations.map((op) => [op.id.toLowerCase(), op]));
    for (const [hash, op] of unique) {
      await manager.insert(TrustedDocument, {
        clientAppId: clientApp.id,
        hash,
        operationName: op.name ?? null,
        body: op.body,
        createdAt: new Date(),
      });
    }
    clientApp.trustedDocumentsOnly = true;
    await manager.save(clientApp);
    return { clientApp, operations: unique.size };
  });
}

/** Lifts the restriction and forgets the manifest. */
export async function clearManifest(dataSource: DataSource, appName: string): Promise<ClientApp> {
  return writeTransaction(dataSource, async (manager) => {
    const clientApp = await manager.findOneBy(ClientApp, { name: appName });
    if (!clientApp) throw new NotFoundError(`no client app is named "${appName}"`);
    await manager.delete(TrustedDocument, { clientAppId: clientApp.id });
    clientApp.trustedDocumentsOnly = false;
    return manager.save(clientApp);
  });
}

/**
 * Trusted documents: a client app in that mode may run only its registered operations. It
 * sends just the hash (`extensions.persistedQuery.sha256Hash`), over GET if it likes, so a
 * CDN can cache the URL; the text comes from its manifest, not from the request. A document
 * sent as text is run only when its hash is in the manifest. Decided before parsing, so a
 * refused document costs one indexed lookup and nothing else.
 *
 * Returns the text to run: the request's own, or the manifest's for a hash.
 */
export async function trustedOperation(
  dataSource: DataSource,
  app: ClientApp,
  query: string | undefined,
  hash: string | undefined,
): Promise<string | undefined> {
  const documents = dataSource.getRepository(TrustedDocument);
  const refused = () => new ForbiddenError(`The client app "${app.name}" may run only the operations of its registered manifest`);
  if (query !== undefined) {
    if (!(await documents.existsBy({ clientAppId: app.id, hash: sha256(query) }))) throw refused();
    return query;
  }
  if (hash === undefined) return undefined;
  const document = await documents.findOneBy({ clientAppId: app.id, hash: hash.toLowerCase() });
  if (!document) throw refused();
  return document.body;
}
