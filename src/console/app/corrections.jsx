import { useState } from "react";

import { compact, CORRECTION_KINDS, dayEnd, dayStart, formatDateTime, gql, humanize } from "./api";
import { ChoiceFilter, DayRangeFilter, ErrorNote, speakerHref, storyHref, useQuery } from "./widgets";

const CORRECTIONS = `query ConsoleCorrections($filter: CorrectionsFilter, $first: Int, $after: String) {
  corrections(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id kind actor target targetType before after createdAt } }
  }
}`;

/** What each correction changed, named: one `nodes` request for the whole page. */
const TARGETS = `query ConsoleCorrectionTargets($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Quote { text story { id headline } }
    ... on Speaker { name }
    ... on Story { headline }
  }
}`;

const TARGET_TYPES = ["Quote", "Speaker", "Story"];

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function show(item) {
  if (item === null || item === undefined) return <span className="muted">none</span>;
  if (typeof item === "string" && ISO_TIME.test(item)) return formatDateTime(item);
  return typeof item === "object" ? JSON.stringify(item) : String(item);
}

/**
 * A correction's before or after as "field: value" lines. Fields other than ids with the same
 * value on both sides are left out, so each row shows what the correction changed.
 */
function Values({ value, other }) {
  // Ids stay even when unchanged: they say which other object a correction was about.
  const same = (name) => !name.endsWith("Id") && other && name in other && JSON.stringify(other[name]) === JSON.stringify(value[name]);
  const entries = Object.entries(value ?? {}).filter(([name]) => !same(name));
  if (!entries.length) return <span className="muted">—</span>;
  return (
    <dl className="values">
      {entries.map(([name, item]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{show(item)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Target({ type, id, node }) {
  if (type === "Speaker")
    return (
      <>
        Speaker <a href={speakerHref(id)}>{node?.name ?? "(open)"}</a>
      </>
    );
  if (type === "Story")
    return (
      <>
        Story <a href={storyHref(id)}>{node?.headline ?? "(open)"}</a>
      </>
    );
  if (type === "Quote" && node?.story) {
    return (
      <>
        Quote “{node.text.length > 60 ? `${node.text.slice(0, 60)}…` : node.text}” in{" "}
        <a href={storyHref(node.story.id)}>{node.story.headline}</a>
      </>
    );
  }
  return <span title={id}>{type}</span>;
}

export function CorrectionsPage() {
  const [filters, setFilters] = useState({ kind: "", actor: "", targetType: "", since: "", until: "" });
  const [cursors, setCursors] = useState([null]);
  const variables = {
    first: 25,
    after: cursors[cursors.length - 1],
    filter: compact({
      kind: filters.kind,
      actor: filters.actor.trim(),
      targetType: filters.targetType,
      since: dayStart(filters.since),
      until: dayEnd(filters.until),
    }),
  };
  const log = useQuery(() => gql(CORRECTIONS, variables), [JSON.stringify(variables)]);
  const connection = log.data?.corrections;
  const ids = [...new Set((connection?.edges ?? []).map((edge) => edge.node.target))];
  const targets = useQuery(() => (ids.length ? gql(TARGETS, { ids }) : Promise.resolve({ nodes: [] })), [ids.join(",")]);
  // By position: a merged speaker's old id resolves to the speaker it was merged into.
  const targetById = new Map((targets.data?.nodes ?? []).map((node, index) => [ids[index], node]));
  const set = (name) => (event) => {
    setFilters({ ...filters, [name]: event.target.value });
    setCursors([null]);
  };
  return (
    <main className="page corrections-page">
      <div className="page-head">
        <h1>Corrections log</h1>
        <p className="lede">Every change editors made through the API, newest first: who, when, and the value before and after.</p>
      </div>
      <form className="filters" aria-label="Filter the log" onSubmit={(event) => event.preventDefault()}>
        <ChoiceFilter label="Kind" value={filters.kind} onChange={set("kind")} any="Any kind" options={CORRECTION_KINDS} show={humanize} />
        <label>
          Actor
          <input type="text" value={filters.actor} placeholder="Client app name" onChange={set("actor")} />
        </label>
        <ChoiceFilter label="Target" value={filters.targetType} onChange={set("targetType")} any="Any target" options={TARGET_TYPES} />
        <DayRangeFilter since={filters.since} until={filters.until} onSince={set("since")} onUntil={set("until")} />
      </form>
      <ErrorNote error={log.error} />
      {connection ? (
        <>
          <p className="count">{connection.totalCount === 1 ? "1 correction" : `${connection.totalCount} corrections`}</p>
          <div className="table-wrap">
            <table className="log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Target</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {connection.edges.map(({ node }) => (
                  <tr key={node.id} data-kind={node.kind}>
                    <td className="nowrap">{formatDateTime(node.createdAt)}</td>
                    <td>
                      <span className="badge">{humanize(node.kind)}</span>
                    </td>
                    <td className="nowrap">{node.actor ?? <span className="muted">unknown</span>}</td>
                    <td>
                      <Target type={node.targetType} id={node.target} node={targetById.get(node.target)} />
                    </td>
                    <td>
                      <Values value={node.before} other={node.after} />
                    </td>
                    <td>
                      <Values value={node.after} other={node.before} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((list) => list.slice(0, -1))}>
              ← Newer
            </button>
            <button
              type="button"
              disabled={!connection.pageInfo.hasNextPage}
              onClick={() => setCursors((list) => [...list, connection.pageInfo.endCursor])}
            >
              Older →
            </button>
          </div>
        </>
      ) : null}
    </main>
  );
}
