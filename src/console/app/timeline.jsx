import { useId } from "react";

const DAY = 86_400_000;

/** Where the bucket starting at `start` ends (exclusive), in UTC like the API's buckets. */
export function bucketEnd(start, interval) {
  const date = new Date(start);
  if (interval === "DAY") return new Date(date.getTime() + DAY);
  if (interval === "WEEK") return new Date(date.getTime() + 7 * DAY);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

const LABEL = {
  DAY: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }),
  WEEK: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }),
  MONTH: new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" }),
};
const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;
/** "4 quotes in 2 stories": a bar's accessible name and tooltip. */
const bucketSummary = (bucket, interval) =>
  `${bucketName(bucket.start, interval)}: ${plural(bucket.count, "quote", "quotes")} in ${plural(bucket.stories, "story", "stories")}`;

const LONG = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** How one bucket is named in the table and in each bar's accessible name. */
export function bucketName(start, interval) {
  if (interval === "DAY") return LONG.format(new Date(start));
  if (interval === "WEEK") return `Week of ${LONG.format(new Date(start))}`;
  return new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(start));
}

/**
 * The API returns only buckets with quotes; the chart shows the empty ones between them too,
 * so gaps in time look like gaps. Very long ranges keep only the non-empty buckets.
 */
function withGaps(buckets, interval) {
  if (buckets.length < 2) return buckets;
  const byStart = new Map(buckets.map((bucket) => [new Date(bucket.start).getTime(), bucket]));
  const filled = [];
  let at = new Date(buckets[0].start);
  const last = new Date(buckets[buckets.length - 1].start).getTime();
  while (at.getTime() <= last) {
    if (filled.length > 120) return buckets;
    filled.push(byStart.get(at.getTime()) ?? { start: at.toISOString(), count: 0, stories: 0 });
    at = bucketEnd(at, interval);
  }
  return filled;
}

function niceMax(value) {
  if (value <= 4) return Math.max(value, 1);
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return value;
}

/**
 * Quotes per day, week or month as an SVG bar chart. Each bar is a button (keyboard and
 * mouse) that selects its bucket; the same numbers are in a table for screen readers and
 * for anyone who wants the figures.
 */
export function TimelineChart({ buckets, interval, selected, onSelect, speakerName }) {
  const titleId = useId();
  const descId = useId();
  const shown = withGaps(buckets, interval);
  // About the width the page gives the chart, so its text draws near its CSS size.
  const width = 1000;
  const height = 260;
  const margin = { top: 16, right: 12, bottom: 40, left: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const max = niceMax(Math.max(0, ...shown.map((bucket) => bucket.count)));
  const ticks = max <= 4 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, max / 4, max / 2, (3 * max) / 4, max];
  const slot = plotW / Math.max(shown.length, 1);
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(shown.length / Math.floor(plotW / 70)));
  const y = (count) => margin.top + plotH - (count / max) * plotH;
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);

  if (buckets.length === 0) return <p className="muted">No quotes in this period.</p>;
  return (
    <figure className="timeline">
      <svg viewBox={`0 0 ${width} ${height}`} role="group" aria-labelledby={titleId} aria-describedby={descId} className="chart">
        <title id={titleId}>
          Quotes by {speakerName} per {interval.toLowerCase()}
        </title>
        <desc id={descId}>
          {plural(total, "quote", "quotes")} in {plural(buckets.length, interval.toLowerCase(), `${interval.toLowerCase()}s`)} with quotes,
          from {bucketName(buckets[0].start, interval)} to {bucketName(buckets[buckets.length - 1].start, interval)}. The table below lists
          every bucket.
        </desc>
        {ticks.map((tick) => (
          <g key={tick} className="tick">
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} />
            <text x={margin.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
              {Number.isInteger(tick) ? tick : tick.toFixed(1)}
            </text>
          </g>
        ))}
        <text className="axis-title" transform={`translate(12 ${margin.top + plotH / 2}) rotate(-90)`} textAnchor="middle">
          Quotes
        </text>
        <line className="axis" x1={margin.left} x2={width - margin.right} y1={margin.top + plotH} y2={margin.top + plotH} />
        {shown.map((bucket, index) => {
          const x = margin.left + slot * index + (slot - barW) / 2;
          const isSelected = selected === bucket.start;
          return (
            <g key={bucket.start}>
              {bucket.count > 0 ? (
                <rect
                  className={`bar ${isSelected ? "selected" : ""}`}
                  x={x}
                  y={y(bucket.count)}
                  width={barW}
                  height={Math.max(1, margin.top + plotH - y(bucket.count))}
                  rx="2"
                  role="button"
                  tabIndex={0}
                  aria-pressed={isSelected}
                  aria-label={bucketSummary(bucket, interval)}
                  onClick={() => onSelect(bucket)}
                  onKeyDown={(event) => {
                    if (event.key === "Enter" || event.key === " ") {
                      event.preventDefault();
                      onSelect(bucket);
                    }
                  }}
                >
                  <title>{bucketSummary(bucket, interval)}</title>
                </rect>
              ) : null}
              {index % labelEvery === 0 ? (
                <text className="x-label" x={margin.left + slot * index + slot / 2} y={margin.top + plotH + 18} textAnchor="middle">
                  {LABEL[interval].format(new Date(bucket.start))}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <details className="chart-table">
        <summary>Show the figures as a table</summary>
        <table>
          <caption>Quotes per {interval.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">{interval === "MONTH" ? "Month" : interval === "WEEK" ? "Week" : "Day"}</th>
              <th scope="col">Quotes</th>
              <th scope="col">Stories</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.start}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => onSelect(bucket)}>
                    {bucketName(bucket.start, interval)}
                  </button>
                </th>
                <td>{bucket.count}</td>
                <td>{bucket.stories}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
