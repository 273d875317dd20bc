import fs from "node:fs";
import os from "node:os";

import { type CorpusCounts } from "./generator";
import { type Measurement } from "./load";
import { type Operation } from "./operations";
import { type BenchmarkOptions } from "./options";
import { type SoakResult } from "./soak";
import { type Target } from "./targets";
import { type Engine, engineOf, floorOf, FLOORS, isFloor } from "./variants";

export interface Run {
  repeat: number;
  variant: string;
  operation: string;
  measurement: Measurement;
}

type Figure = "requestsPerSecond" | "p50Ms" | "p99Ms" | "cpuMsPerRequest" | "dbCpuMsPerRequest" | "sqlPerRequest" | "peakRssMb";
const FIGURES: Figure[] = ["requestsPerSecond", "p50Ms", "p99Ms", "cpuMsPerRequest", "dbCpuMsPerRequest", "sqlPerRequest", "peakRssMb"];

/** Medians over the repeats of one variant × operation, and each figure over its engine's floor's. */
export interface Row {
  variant: string;
  engine: Engine;
  operation: string;
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number | null;
  /** PostgreSQL backends' CPU per request; null on SQLite, whose work is in cpuMsPerRequest. */
  dbCpuMsPerRequest: number | null;
  sqlPerRequest: number | null;
  /** Fewest and most statements any single request took, over all repeats. */
  sqlMin: number | null;
  sqlMax: number | null;
  peakRssMb: number;
  /**
   * Medians of the per-repeat ratios (this variant / the floor of the same engine, measured
   * minutes apart); null where the floor's figure is 0 or missing.
   */
  vsFloor: Record<Figure, number | null>;
}

export interface VariantSummary {
  variant: string;
  /** The highest RSS seen in any measured window (after warm-up), median over repeats. */
  steadyRssMb: number;
  steadyRssVsFloor: number | null;
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? "unknown CPU";
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
  } catch {
    // Not Linux: os.cpus() is the best we have.
  }
  return { cpu, cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` };
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.platform}`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianOrNull(values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return present.length > 0 ? median(present) : null;
}

export function summariseRows(runs: readonly Run[], variants: readonly string[], operations: readonly Operation[]): Row[] {
  const find = (variant: string, operation: string) => runs.filter((run) => run.variant === variant && run.operation === operation);
  const rows: Row[] = [];
  for (const operation of operations) {
    for (const variant of variants) {
      const floorByRepeat = new Map(find(floorOf(variant), operation.key).map((run) => [run.repeat, run.measurement]));
      const measured = find(variant, operation.key);
      const all = measured.map((run) => run.measurement);
      const ratio = (figure: Figure) =>
        medianOrNull(
          measured.map(({ repeat, measurement }) => {
            const floor = floorByRepeat.get(repeat)?.[figure];
            const value = measurement[figure];
            return floor && value !== null ? value / floor : null;
          }),
        );
      const sqlMins = all.map((m) => m.sqlMin).filter((value): value is number => value !== null);
      const sqlMaxes = all.map((m) => m.sqlMax).filter((value): value is number => value !== null);
      rows.push({
        variant,
        engine: engineOf(variant),
        operation: operation.key,
        label: operation.label,
        requestsPerSecond: median(all.map((m) => m.requestsPerSecond)),
        p50Ms: median(all.map((m) => m.p50Ms)),
        p99Ms: median(all.map((m) => m.p99Ms)),
        cpuMsPerRequest: medianOrNull(all.map((m) => m.cpuMsPerRequest)),
        dbCpuMsPerRequest: medianOrNull(all.map((m) => m.dbCpuMsPerRequest ?? null)),
        sqlPerRequest: medianOrNull(all.map((m) => m.sqlPerRequest)),
        sqlMin: sqlMins.length > 0 ? Math.min(...sqlMins) : null,
        sqlMax: sqlMaxes.length > 0 ? Math.max(...sqlMaxes) : null,
        peakRssMb: median(all.map((m) => m.peakRssMb)),
        vsFloor: Object.fromEntries(FIGURES.map((figure) => [figure, ratio(figure)])) as Record<Figure, number | null>,
      });
    }
  }
  return rows;
}

export function summariseVariants(runs: readonly Run[], variants: readonly string[]): VariantSummary[] {
  const repeats = [...new Set(runs.map((run) => run.repeat))];
  const steadyRss = (variant: string, repeat: number) => {
    const peaks = runs.filter((run) => run.variant === variant && run.repeat === repeat).map((run) => run.measurement.peakRssMb);
    return peaks.length > 0 ? Math.max(...peaks) : null;
  };
  return variants.map((variant) => {
    const own = repeats.map((repeat) => steadyRss(variant, repeat));
    const ratios = repeats.map((repeat) => {
      const value = steadyRss(variant, repeat);
      const floor = steadyRss(floorOf(variant), repeat);
      return value !== null && floor ? value / floor : null;
    });
    return { variant, steadyRssMb: medianOrNull(own) ?? 0, steadyRssVsFloor: medianOrNull(ratios) };
  });
}

export interface ReportInput {
  machine: Machine;
  corpus: CorpusCounts;
  options: Pick<BenchmarkOptions, "seed" | "connections" | "warmupSeconds" | "durationSeconds" | "repeats" | "postgres" | "postgresLoad">;
  postgres: { tables: ReadonlyArray<{ target: number }>; copySeconds: number } | null;
  rows: readonly Row[];
  variants: readonly VariantSummary[];
  targets: readonly Target[];
  soak: SoakResult | null;
  notes: readonly string[];
  totalSeconds: number;
}

const ENGINE_NAMES: Record<Engine, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

export function renderMarkdown(input: ReportInput): string {
  const { corpus, options } = input;
  const lines = [
    `Machine: ${machineLine(input.machine)}`,
    `Corpus: ${corpus.publications} publications, ${corpus.stories} stories, ${corpus.bullets} bullets, ${corpus.quotes} quotes, ` +
      `${corpus.speakers} speakers, ${corpus.relations} related links (seed ${options.seed})`,
    `Method: one server at a time, ${options.connections} connections, ${options.warmupSeconds} s warm-up + ` +
      `${options.durationSeconds} s measured, ${options.repeats} interleaved repeat(s), medians`,
  ];
  if (input.postgres) {
    const rows = input.postgres.tables.reduce((sum, table) => sum + table.target, 0);
    lines.push(
      `PostgreSQL: the same corpus copied by src/db/copy.ts (${rows} rows, same ids) in ${format(input.postgres.copySeconds)} s, then ANALYZE; ` +
        `${options.postgresLoad.warmupSeconds} s warm-up + ${options.postgresLoad.durationSeconds} s measured`,
    );
  }
  const withDbCpu = input.rows.some((row) => row.dbCpuMsPerRequest !== null);
  lines.push(
    "",
    `| Variant | DB | Operation | req/s | p50 ms | p99 ms | CPU ms/req |${withDbCpu ? " DB CPU ms/req |" : ""} SQL/req | peak RSS MB |`,
    `|---|---|---|---:|---:|---:|---:|${withDbCpu ? "---:|" : ""}---:|---:|`,
  );
  for (const row of input.rows) {
    const cell = (figure: Figure, value: number | null) => {
      if (value === null) return "n/a";
      const ratio = row.vsFloor[figure];
      return isFloor(row.variant) || ratio === null ? format(value) : `${format(value)} (${format(ratio)}×)`;
    };
    const sqlRange = row.sqlMin !== null && row.sqlMax !== null && row.sqlMin !== row.sqlMax ? ` [${range(row.sqlMin, row.sqlMax)}]` : "";
    lines.push(
      `| ${row.variant} | ${ENGINE_NAMES[row.engine]} | ${row.label} | ${cell("requestsPerSecond", row.requestsPerSecond)} | ${cell("p50Ms", row.p50Ms)} | ` +
        `${cell("p99Ms", row.p99Ms)} | ${cell("cpuMsPerRequest", row.cpuMsPerRequest)} |` +
        `${withDbCpu ? ` ${row.engine === "sqlite" ? "(in CPU)" : cell("dbCpuMsPerRequest", row.dbCpuMsPerRequest)} |` : ""}` +
        ` ${cell("sqlPerRequest", row.sqlPerRequest)}${sqlRange} | ` +
        `${cell("peakRssMb", row.peakRssMb)} |`,
    );
  }
  const floors = input.rows.some((row) => row.engine === "postgres")
    ? `the floor of the same database (${FLOORS.sqlite} on SQLite, ${FLOORS.postgres} on PostgreSQL)`
    : "the floor's";
  lines.push("", `(×) is the median over repeats of the variant's figure over ${floors} in the same repeat.`, "");
  lines.push(
    `Steady RSS (highest in any measured window): ${input.variants
      .map(
        (v) =>
          `${v.variant} ${format(v.steadyRssMb)} MB${isFloor(v.variant) || v.steadyRssVsFloor === null ? "" : ` (${format(v.steadyRssVsFloor)}×)`}`,
      )
      .join(", ")}`,
  );
  if (input.soak) {
    const { seconds, requestsPerSecond, rssMb, startMb, endMb } = input.soak;
    lines.push(
      `Soak (newsgate, all operations mixed): ${seconds} s at ${format(requestsPerSecond)} req/s; RSS ${format(startMb)} → ${format(endMb)} MB ` +
        `(medians of the first and last tenth of the readings), between ${format(Math.min(...rssMb))} and ${format(Math.max(...rssMb))} MB`,
    );
  }
  if (input.targets.length > 0) {
    lines.push("", "Targets:");
    for (const target of input.targets) lines.push(`${target.pass ? "PASS" : "MISS"}  ${target.detail}`);
  }
  if (input.notes.length > 0) {
    lines.push("", "Notes:");
    for (const note of input.notes) lines.push(`- ${note}`);
  }
  lines.push("", `Total run time: ${format(input.totalSeconds)} s`);
  return lines.join("\n");
}

export function range(min: number, max: number): string {
  return min === max ? format(min) : `${format(min)}–${format(max)}`;
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

/** Three significant digits, without trailing zeros: 12345, 123, 12.3, 1.23, 0.123. */
export function format(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toString();
  return Number(value.toPrecision(3)).toString();
}
