import { fire, readStats } from "./load";
import { median } from "./report";

export interface SoakResult {
  seconds: number;
  requestsPerSecond: number;
  /** RSS once a second while under load, in MB. */
  rssMb: number[];
  startMb: number;
  endMb: number;
  /** End RSS over start RSS, minus one: 0.05 is 5% growth. */
  growth: number;
}

const MB = 1024 * 1024;

/**
 * Keeps a server under a mixed load for `seconds` and reads its RSS every second. Start and
 * end are medians of the first and last tenth of the readings, so one garbage collection
 * landing on a single reading does not decide the result.
 */
export async function soak(url: string, bodies: readonly string[], connections: number, seconds: number): Promise<SoakResult> {
  const rssMb: number[] = [];
  const sampler = setInterval(() => {
    // A reading that fails leaves a gap; the medians below do not need every second.
    readStats(url, true).then(
      (stats) => rssMb.push(stats.rssBytes / MB),
      () => undefined,
    );
  }, 1000);
  try {
    const result = await fire(url, bodies, connections, seconds);
    const tenth = Math.max(1, Math.floor(rssMb.length / 10));
    const startMb = median(rssMb.slice(0, tenth));
    const endMb = median(rssMb.slice(-tenth));
    return { seconds, requestsPerSecond: result.requestsPerSecond, rssMb, startMb, endMb, growth: endMb / startMb - 1 };
  } finally {
    clearInterval(sampler);
  }
}
