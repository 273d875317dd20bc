import { FRONT_PAGE_SIZES, frontPageKey } from "./operations";
import { format, percent, range, type Row, type VariantSummary } from "./report";
import { type SoakResult } from "./soak";

/** The variant the targets are about. */
const SHIPPED = "newsgate";
/** Newsgate with its response cache on, measured on the warm (hit) path. */
const CACHED = "newsgate-cached";
/** Newsgate on PostgreSQL, and the outside peer it is held against there. */
const SHIPPED_ON_POSTGRES = "newsgate-pg";
const PEER = "postgraphile";
/** Newsgate must answer at least this many requests per PostGraphile one, on every operation. */
const PEER_RATIO = 1;

export interface Target {
  name: string;
  pass: boolean;
  /** One line: the figure, the target and, when missed, by how much. */
  detail: string;
}

/** The targets Newsgate is held to; empty when the run left Newsgate out. */
export function evaluateTargets(rows: readonly Row[], variants: readonly VariantSummary[], soak: SoakResult | null): Target[] {
  return [...sqliteTargets(rows, variants, soak), ...peerTargets(rows)];
}

function sqliteTargets(rows: readonly Row[], variants: readonly VariantSummary[], soak: SoakResult | null): Target[] {
  const row = (operation: string) => rows.find((r) => r.variant === SHIPPED && r.operation === operation);
  const shipped = variants.find((v) => v.variant === SHIPPED);
  if (!shipped) return [];
  const frontPages = FRONT_PAGE_SIZES.map((size) => row(frontPageKey(size)));
  const targets: Target[] = [
    atMost("SQL statements per request, story page (most in any request)", row("storyPage")?.sqlMax ?? null, 6, ""),
    atMost(
      "SQL statements per request, front page (most in any request, first 10/50/100)",
      maxOf(frontPages.map((r) => r?.sqlMax ?? null)),
      5,
      "",
    ),
    sameStatements(frontPages),
    atLeast("Newsgate req/s vs floor, story page", row("storyPage")?.vsFloor.requestsPerSecond ?? null, 0.5, "×"),
    ...FRONT_PAGE_SIZES.map((size) =>
      atLeast(`Newsgate req/s vs floor, front page (${size})`, row(frontPageKey(size))?.vsFloor.requestsPerSecond ?? null, 0.5, "×"),
    ),
    atMost("Newsgate CPU per { __typename } request, ms", row("typename")?.cpuMsPerRequest ?? null, 0.1, " ms"),
    atMost("Newsgate peak RSS vs floor", shipped.steadyRssVsFloor, 1.5, "×"),
  ];
  const cachedRows = rows.filter((r) => r.variant === CACHED);
  for (const cached of cachedRows) {
    targets.push(atLeast(`Cache hits req/s vs floor, ${cached.label}`, cached.vsFloor.requestsPerSecond ?? null, 1, "×"));
  }
  if (soak) targets.push(below(`Newsgate RSS growth over a ${soak.seconds} s soak`, soak.growth, 0.1));
  return targets;
}

/**
 * "On PostgreSQL, Newsgate ≥ 1.0× PostGraphile v4 on the same operations": one line per
 * operation both were measured on, req/s over req/s (medians over the repeats).
 */
function peerTargets(rows: readonly Row[]): Target[] {
  const targets: Target[] = [];
  for (const newsgate of rows.filter((r) => r.variant === SHIPPED_ON_POSTGRES)) {
    const peer = rows.find((r) => r.variant === PEER && r.operation === newsgate.operation);
    if (!peer) continue;
    const ratio = peer.requestsPerSecond > 0 ? newsgate.requestsPerSecond / peer.requestsPerSecond : null;
    const target = atLeast(`On PostgreSQL, Newsgate req/s vs PostGraphile v4, ${newsgate.label}`, ratio, PEER_RATIO, "×");
    targets.push({
      ...target,
      detail: `${target.detail}: ${format(newsgate.requestsPerSecond)} vs ${format(peer.requestsPerSecond)} req/s`,
    });
  }
  return targets;
}

function maxOf(values: Array<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === values.length ? Math.max(...present) : null;
}

function atMost(name: string, value: number | null, limit: number, unit: string): Target {
  if (value === null) return { name, pass: false, detail: `${name}: not measured (target ≤ ${limit}${unit})` };
  const pass = value <= limit;
  const miss = pass ? "" : `; over by ${percent(value / limit - 1)}`;
  return { name, pass, detail: `${name}: ${format(value)}${unit} (target ≤ ${limit}${unit}${miss})` };
}

function atLeast(name: string, value: number | null, limit: number, unit: string): Target {
  if (value === null) return { name, pass: false, detail: `${name}: not measured (target ≥ ${limit}${unit})` };
  const pass = value >= limit;
  const miss = pass ? "" : `; short by ${percent(1 - value / limit)}`;
  return { name, pass, detail: `${name}: ${format(value)}${unit} (target ≥ ${limit}${unit}${miss})` };
}

function below(name: string, value: number, limit: number): Target {
  const pass = value < limit;
  const miss = pass ? "" : `; over by ${percent(value - limit)} points`;
  return { name, pass, detail: `${name}: ${percent(value)} (target < ${percent(limit)}${miss})` };
}

/** Each page size must cost one fixed number of statements, the same for all three. */
function sameStatements(frontPages: Array<Row | undefined>): Target {
  const name = "Front page SQL statements identical at first 10, 50 and 100";
  const values = frontPages.flatMap((r) => (r ? [r.sqlMin, r.sqlMax] : [null]));
  if (values.some((value) => value === null)) return { name, pass: false, detail: `${name}: not measured` };
  const numbers = values as number[];
  const pass = new Set(numbers).size === 1;
  const ranges = frontPages.map((r) => `${r!.label}: ${range(r!.sqlMin!, r!.sqlMax!)}`).join(", ");
  const miss = pass ? "" : `; differ by up to ${Math.max(...numbers) - Math.min(...numbers)} statement(s)`;
  return { name, pass, detail: `${name}: ${ranges}${miss}` };
}
