import express, { type Router } from "express";
import { type DataSource } from "typeorm";

/**
 * /healthz: the process is up and serving HTTP. /readyz: it can do useful work — the
 * database answers, no migration is pending, and the server is not shutting down — so a
 * load balancer sends traffic only then.
 */
export function healthRouter(dataSource: DataSource, isStopping: () => boolean): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const notReady = (reason: string) => res.status(503).json({ status: "unavailable", reason });
    if (isStopping()) return notReady("shutting down");
    try {
      await dataSource.query("SELECT 1");
    } catch (error) {
      return notReady(`database unreachable: ${(error as Error).message.split("\n")[0]}`);
    }
    try {
      if (await dataSource.showMigrations()) return notReady("database migrations are pending: run npm run migrate");
    } catch (error) {
      return notReady(`cannot read the migrations table: ${(error as Error).message.split("\n")[0]}`);
    }
    res.json({ status: "ready" });
  });
  return router;
}
