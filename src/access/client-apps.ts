import { type DataSource, type EntityManager, In, IsNull } from "typeorm";

import { writeTransaction } from "../db/write-queue";
import { BadInputError, ConflictError, NotFoundError } from "../errors";
import { ApiKey } from "./api-key.entity";
import { ClientApp } from "./client-app.entity";
import { displayPrefix, generateKey, hashKey } from "./keys";
import { ClientRole, isClientRole } from "./roles";

/**
 * Managing client apps and their keys: the one implementation behind `npm run client` and
 * the admin GraphQL operations.
 */

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

export interface ClientAppSettings {
  rateLimitPerMinute?: number;
  maxDepth?: number | null;
  maxAliases?: number | null;
  maxCost?: number | null;
}

export interface ClientAppSummary {
  clientApp: ClientApp;
  /** Display prefixes of the keys that are not revoked. */
  activeKeys: string[];
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new BadInputError(
      `client app name must be 1-100 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit; got "${name.slice(0, 100)}"`,
      { argument: "name" },
    );
  }
}

function checkSettings(settings: ClientAppSettings): void {
  const counts: Array<[keyof ClientAppSettings, string, number]> = [
    ["rateLimitPerMinute", "rate limit", 0],
    ["maxDepth", "max depth", 1],
    ["maxAliases", "max aliases", 0],
    ["maxCost", "max cost", 1],
  ];
  for (const [key, label, min] of counts) {
    const value = settings[key];
    if (value === undefined || value === null) continue;
    if (!Number.isSafeInteger(value) || value < min)
      throw new BadInputError(`${label} must be a whole number of at least ${min}, got ${value}`, { argument: key });
  }
}

export async function createClientApp(
  dataSource: DataSource,
  input: { name: string; role: string } & ClientAppSettings,
): Promise<{ clientApp: ClientApp; key: string }> {
  checkName(input.name);
  if (!isClientRole(input.role)) throw new BadInputError(`role must be reader, editor or admin, got "${input.role}"`, { argument: "role" });
  checkSettings(input);
  const key = generateKey();
  const clientApp = await writeTransaction(dataSource, async (manager) => {
    if (await manager.existsBy(ClientApp, { name: input.name }))
      throw new ConflictError(`a client app named "${input.name}" already exists`);
    const app = await manager.save(
      manager.create(ClientApp, {
        name: input.name,
        role: input.role as ClientRole,
        rateLimitPerMinute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
        maxDepth: input.maxDepth ?? null,
        maxAliases: input.maxAliases ?? null,
        maxCost: input.maxCost ?? null,
        enabled: true,
        createdAt: new Date(),
      }),
    );
    await manager.insert(ApiKey, {
      clientAppId: app.id,
      keyHash: hashKey(key),
      prefix: displayPrefix(key),
      createdAt: new Date(),
      revokedAt: null,
    });
    return app;
  });
  return { clientApp, key };
}

export async function listClientApps(dataSource: DataSource): Promise<ClientAppSummary[]> {
  const apps = await dataSource.getRepository(ClientApp).find({ order: { name: "ASC" } });
  const keys = await dataSource.getRepository(ApiKey).find({ where: { revokedAt: IsNull() }, order: { id: "ASC" } });
  return apps.map((clientApp) => ({
    clientApp,
    activeKeys: keys.filter((key) => key.clientAppId === clientApp.id).map((key) => key.prefix),
  }));
}

async function findByName(manager: EntityManager, name: string): Promise<ClientApp> {
  const app = await manager.findOneBy(ClientApp, { name });
  if (!app) throw new NotFoundError(`no client app is named "${name.slice(0, 100)}"`);
  return app;
}

export async function setClientAppEnabled(dataSource: DataSource, name: string, enabled: boolean): Promise<ClientApp> {
  return writeTransaction(dataSource, async (manager) => {
    const app = await findByName(manager, name);
    await manager.update(ClientApp, { id: app.id }, { enabled });
    return { ...app, enabled };
  });
}

export async function updateClientApp(
  dataSource: DataSource,
  name: string,
  settings: ClientAppSettings & { role?: string },
): Promise<ClientApp> {
  if (settings.role !== undefined && !isClientRole(settings.role)) {
    throw new BadInputError(`role must be reader, editor or admin, got "${settings.role}"`, { argument: "role" });
  }
  checkSettings(settings);
  const changes = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<ClientApp>;
  return writeTransaction(dataSource, async (manager) => {
    const app = await findByName(manager, name);
    if (Object.keys(changes).length > 0) await manager.update(ClientApp, { id: app.id }, changes);
    return { ...app, ...changes };
  });
}

/** Issues a new key and revokes every older one of the app, in one transaction. */
export async function rotateKey(dataSource: DataSource, name: string): Promise<{ clientApp: ClientApp; key: string; revoked: number }> {
  const key = generateKey();
  return writeTransaction(dataSource, async (manager) => {
    const clientApp = await findByName(manager, name);
    const now = new Date();
    const revoked = await manager.update(ApiKey, { clientAppId: clientApp.id, revokedAt: IsNull() }, { revokedAt: now });
    await manager.insert(ApiKey, {
      clientAppId: clientApp.id,
      keyHash: hashKey(key),
      prefix: displayPrefix(key),
      createdAt: now,
      revokedAt: null,
    });
    return { clientApp, key, revoked: revoked.affected ?? 0 };
  });
}

/**
 * The client app a presented key belongs to, or null when no active key matches: one
 * statement on the unique hash index, whatever the number of apps and keys.
 */
export async function findClientAppByKey(dataSource: DataSource, key: string): Promise<ClientApp | null> {
  return dataSource
    .getRepository(ClientApp)
    .createQueryBuilder("app")
    .innerJoin(ApiKey, "api_key", "api_key.client_app_id = app.id")
    .where("api_key.key_hash = :hash", { hash: hashKey(key) })
    .andWhere("api_key.revoked_at IS NULL")
    .getOne();
}

/**
 * The client apps of many presented keys at once (by key hash), for re-checking every open
 * socket in one statement; a hash missing from the answer is revoked or unknown.
 */
export async function findClientAppsByKeyHashes(dataSource: DataSource, hashes: string[]): Promise<Map<string, ClientApp>> {
  if (hashes.length === 0) return new Map();
  const keys: Array<{ hash: string; appId: number }> = await dataSource
    .getRepository(ApiKey)
    .createQueryBuilder("api_key")
    .select(["api_key.key_hash AS hash", 'api_key.client_app_id AS "appId"'])
    .where("api_key.key_hash IN (:...hashes)", { hashes })
    .andWhere("api_key.revoked_at IS NULL")
    .getRawMany();
  if (keys.length === 0) return new Map();
  const apps = await dataSource.getRepository(ClientApp).findBy({ id: In([...new Set(keys.map((key) => Number(key.appId)))]) });
  const byId = new Map(apps.map((app) => [app.id, app]));
  return new Map(keys.flatMap((key) => (byId.has(Number(key.appId)) ? [[key.hash, byId.get(Number(key.appId))!] as const] : [])));
}
