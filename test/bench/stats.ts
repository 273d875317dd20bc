import type http from "node:http";

/** The side endpoint a bench child serves next to /graphql. */
export const STATS_PATH = "/__bench/stats";

/**
 * What a bench child reports about itself. Counters are cumulative (the parent subtracts two
 * readings); the peaks and the SQL range cover the time since the previous reading.
 */
export interface ServerStats {
  cpuMicros: number;
  rssBytes: number;
  peakRssBytes: number;
  requests: number;
  sqlStatements: number;
  minSqlStatements: number | null;
  maxSqlStatements: number | null;
}

/** RSS between two readings could peak and fall back unseen; sampling this often catches it. */
const RSS_SAMPLE_MS = 100;
/** Long enough for the event loop to read every socket that still holds a request. */
const QUIET_MS = 100;
/** A request that never reports (it failed before reaching the resolvers) must not hang readings. */
const IDLE_TIMEOUT_MS = 10_000;

export class StatsRecorder {
  private started = 0;
  private requests = 0;
  private lastActivity = performance.now();
  private sqlStatements = 0;
  private minSql: number | null = null;
  private maxSql: number | null = null;
  private peakRss = process.memoryUsage.rss();

  constructor() {
    setInterval(() => this.sampleRss(), RSS_SAMPLE_MS).unref();
  }

  /** Counts the GraphQL requests `server` receives, to know when all have been answered. */
  watch(server: http.Server, graphqlPath: string): void {
    server.on("request", (req: http.IncomingMessage) => {
      if (req.url !== graphqlPath) return;
      this.started += 1;
      this.lastActivity = performance.now();
    });
  }

  /** Called once per GraphQL request, when its answer is ready. */
  recordRequest(sqlStatements: number): void {
    this.recordStatements(sqlStatements);
    this.recordAnswer();
  }

  /**
   * The two halves of `recordRequest`, for a server that learns them apart (PostGraphile:
   * statements when a request releases its pooled client, the answer when it is sent).
   */
  recordStatements(sqlStatements: number): void {
    this.sqlStatements += sqlStatements;
    this.minSql = Math.min(this.minSql ?? sqlStatements, sqlStatements);
    this.maxSql = Math.max(this.maxSql ?? sqlStatements, sqlStatements);
  }

  recordAnswer(): void {
    this.requests += 1;
    this.lastActivity = performance.now();
  }

  /**
   * Answers a reading once the server is idle: every GraphQL request answered and none
   * arriving for a moment. The load generator drops its connections at the end of a window
   * while requests are still queued in the server, some not even parsed yet; waiting puts
   * those requests and all the CPU time they cost in the window that sent them. Readings
   * taken under load (the soak) ask for `?now` instead. A plain Node listener, so it mounts
   * on express and on a bare http server alike.
   */
  readonly handle: http.RequestListener = async (req, res) => {
    if (!req.url?.endsWith("?now")) await this.idle();
    const body = JSON.stringify(this.read());
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };

  private async idle(): Promise<void> {
    const deadline = performance.now() + IDLE_TIMEOUT_MS;
    const busy = () => this.requests < this.started || performance.now() - this.lastActivity < QUIET_MS;
    while (busy() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private read(): ServerStats {
    const cpu = process.cpuUsage();
    const rss = this.sampleRss();
    const stats: ServerStats = {
      cpuMicros: cpu.user + cpu.system,
      rssBytes: rss,
      peakRssBytes: this.peakRss,
      requests: this.requests,
      sqlStatements: this.sqlStatements,
      minSqlStatements: this.minSql,
      maxSqlStatements: this.maxSql,
    };
    this.peakRss = rss;
    this.minSql = null;
    this.maxSql = null;
    return stats;
  }

  private sampleRss(): number {
    const rss = process.memoryUsage.rss();
    this.peakRss = Math.max(this.peakRss, rss);
    return rss;
  }
}
