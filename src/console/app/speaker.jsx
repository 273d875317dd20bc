import { useState } from "react";

import { compact, formatDate, gql, humanize } from "./api";
import { bucketEnd, bucketName, TimelineChart } from "./timeline";
import { ErrorNote, Highlighted, ReadOnlyNotice, SpeakerPicker, speakerHref, storyHref, useQuery, WriteButton } from "./widgets";

const SPEAKER = `query ConsoleSpeaker($id: ID!, $interval: TimelineInterval!) {
  speaker(id: $id) {
    id name slug kind role quoteCount aliases
    roles { role seenAt }
    quoteTimeline(interval: $interval) { start count stories }
  }
}`;

const SPEAKER_QUOTES = `query ConsoleSpeakerQuotes($id: ID!, $first: Int, $after: String, $since: DateTimeISO, $until: DateTimeISO, $distinct: Boolean) {
  speaker(id: $id) {
    id
    quotes(first: $first, after: $after, since: $since, until: $until, distinct: $distinct) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { reportCount node { id text startOffset endOffset publishedAt reviewState bullet { text } story { id headline publication { name } } } }
    }
  }
}`;

const MERGE_PREVIEW = `query ConsoleMergePreview($id: ID!) {
  speaker(id: $id) { id name kind role quoteCount aliases roles { role seenAt } }
}`;

const SPEAKER_RESULT = `id name role aliases quoteCount`;
const RENAME = `mutation ConsoleRenameSpeaker($speaker: ID!, $name: String!) { renameSpeaker(speaker: $speaker, name: $name) { ${SPEAKER_RESULT} } }`;
const SET_ROLE = `mutation ConsoleSetSpeakerRole($speaker: ID!, $role: String) { setSpeakerRole(speaker: $speaker, role: $role) { ${SPEAKER_RESULT} } }`;
const MERGE = `mutation ConsoleMergeSpeakers($speaker: ID!, $into: ID!) { mergeSpeakers(speaker: $speaker, into: $into) { ${SPEAKER_RESULT} } }`;

/** A one-field form that runs a mutation: rename, set role. */
function FieldForm({ label, initial, submitLabel, onSubmit, allowEmpty = false }) {
  const [value, setValue] = useState(initial ?? "");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setDone(false);
    try {
      await onSubmit(value.trim() || null);
      setError(null);
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label>
        {label}
        <input type="text" value={value} onChange={(event) => setValue(event.target.value)} />
      </label>
      <WriteButton type="submit" disabled={busy || (!allowEmpty && !value.trim())}>
        {submitLabel}
      </WriteButton>
      {done ? <span className="saved">Saved</span> : null}
      <ErrorNote error={error} />
    </form>
  );
}

function MergePanel({ speaker, onMerged }) {
  const [other, setOther] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [picking, setPicking] = useState(false);
  const pick = async (picked) => {
    setPicking(false);
    setError(null);
    try {
      setOther((await gql(MERGE_PREVIEW, { id: picked.id })).speaker);
    } catch (err) {
      setError(err);
    }
  };
  const merge = async () => {
    setBusy(true);
    try {
      await gql(MERGE, { speaker: other.id, into: speaker.id });
      setOther(null);
      setError(null);
      onMerged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="merge-title">
      <h2 id="merge-title">Merge another speaker into {speaker.name}</h2>
      {other ? (
        <div className="merge-preview" data-testid="merge-preview">
          <p>
            Merging <strong>{other.name}</strong> into <strong>{speaker.name}</strong> moves:
          </p>
          <ul>
            <li>
              <strong>{other.quoteCount}</strong> {other.quoteCount === 1 ? "quote" : "quotes"}
            </li>
            <li>
              {other.aliases.length} {other.aliases.length === 1 ? "alias" : "aliases"}
              {other.aliases.length ? `: ${other.aliases.join(", ")}` : ""} (and the name “{other.name}” becomes one)
            </li>
            <li>
              {other.roles.length} {other.roles.length === 1 ? "role" : "roles"}
              {other.roles.length ? `: ${other.roles.map((role) => `${role.role} (${formatDate(role.seenAt)})`).join(", ")}` : ""}
            </li>
          </ul>
          <p className="muted small">
            {other.name}’s old id keeps resolving, to {speaker.name}. The merge is recorded in the corrections log.
          </p>
          <div className="buttons">
            <WriteButton className="danger" disabled={busy} onClick={merge}>
              Merge {other.name} into {speaker.name}
            </WriteButton>
            <button type="button" onClick={() => setOther(null)} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      ) : picking ? (
        <SpeakerPicker
          label="Speaker to merge in"
          submitLabel="Preview"
          exclude={[speaker.id]}
          onPick={pick}
          onCancel={() => setPicking(false)}
        />
      ) : (
        <WriteButton onClick={() => setPicking(true)}>Choose a speaker to merge…</WriteButton>
      )}
      <ErrorNote error={error} />
    </section>
  );
}

function QuoteList({ speakerId, range, distinct }) {
  const [after, setAfter] = useState([null]);
  const variables = compact({
    id: speakerId,
    first: 20,
    after: after[after.length - 1],
    since: range?.since,
    until: range?.until,
    distinct: distinct || undefined,
  });
  const quotes = useQuery(() => gql(SPEAKER_QUOTES, variables), [JSON.stringify(variables)]);
  const connection = quotes.data?.speaker?.quotes;
  return (
    <>
      <ErrorNote error={quotes.error} />
      {connection ? (
        <>
          <p className="count">{distinct ? `${connection.totalCount} statements` : `${connection.totalCount} quotes`}</p>
          <ol className="quote-list">
            {connection.edges.map(({ node, reportCount }) => (
              <li key={node.id}>
                <p className="bullet">
                  <Highlighted
                    text={node.bullet.text}
                    spans={[{ start: node.startOffset, end: node.endOffset }]}
                    render={(_s, text) => <mark>{text}</mark>}
                  />
                </p>
                <p className="meta">
                  <a href={storyHref(node.story.id)}>{node.story.headline}</a> · {node.story.publication.name} ·{" "}
                  {formatDate(node.publishedAt)}
                  {distinct && reportCount > 1 ? <span className="badge">reported {reportCount} times</span> : null}
                  {node.reviewState && node.reviewState !== "UNREVIEWED" ? (
                    <span className={`badge badge-${node.reviewState.toLowerCase()}`}>{humanize(node.reviewState)}</span>
                  ) : null}
                </p>
              </li>
            ))}
          </ol>
          <div className="pager">
            <button type="button" disabled={after.length === 1} onClick={() => setAfter((list) => list.slice(0, -1))}>
              ← Newer
            </button>
            <button
              type="button"
              disabled={!connection.pageInfo.hasNextPage}
              onClick={() => setAfter((list) => [...list, connection.pageInfo.endCursor])}
            >
              Older →
            </button>
          </div>
        </>
      ) : null}
    </>
  );
}

export function SpeakerPage({ id }) {
  const [interval, setInterval] = useState("MONTH");
  const [bucket, setBucket] = useState(null);
  const [distinct, setDistinct] = useState(false);
  const speaker = useQuery(() => gql(SPEAKER, { id, interval }), [id, interval]);
  const data = speaker.data?.speaker;
  if (speaker.error) return <ErrorNote error={speaker.error} />;
  if (!data) return <p className="muted">{speaker.loading ? "Loading…" : "No such speaker."}</p>;
  // The speaker may have been merged into another: its old id resolves to the survivor.
  const range = bucket ? { since: bucket.start, until: new Date(bucketEnd(bucket.start, interval).getTime() - 1).toISOString() } : null;
  return (
    <main className="page speaker-page">
      <div className="page-head">
        <p className="eyebrow">{humanize(data.kind)}</p>
        <h1>{data.name}</h1>
        <p className="lede">
          {data.role ?? "No role"} · {data.quoteCount} quotes · <code>{data.slug}</code>
        </p>
      </div>
      <ReadOnlyNotice />
      <div className="columns">
        <section className="panel" aria-labelledby="roles-title">
          <h2 id="roles-title">Roles</h2>
          {data.roles.length ? (
            <ol className="plain roles">
              {data.roles.map((role) => (
                <li key={`${role.role}-${role.seenAt}`}>
                  <span>{role.role}</span> <span className="muted">seen {formatDate(role.seenAt)}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">No roles recorded.</p>
          )}
          <h2>Aliases</h2>
          <p>{data.aliases.length ? data.aliases.join(", ") : <span className="muted">None</span>}</p>
        </section>
        <section className="panel" aria-labelledby="edit-title">
          <h2 id="edit-title">Edit</h2>
          <FieldForm
            key={`name-${data.name}`}
            label="Name"
            initial={data.name}
            submitLabel="Rename"
            onSubmit={(name) => gql(RENAME, { speaker: data.id, name }).then(speaker.reload)}
          />
          <FieldForm
            key={`role-${data.role}`}
            label="Current role"
            initial={data.role}
            submitLabel="Set role"
            allowEmpty
            onSubmit={(role) => gql(SET_ROLE, { speaker: data.id, role }).then(speaker.reload)}
          />
        </section>
      </div>
      <MergePanel speaker={data} onMerged={speaker.reload} />
      <section className="panel" aria-labelledby="timeline-title">
        <div className="section-head">
          <h2 id="timeline-title">Quote timeline</h2>
          <div className="segmented" role="group" aria-label="Interval">
            {["DAY", "WEEK", "MONTH"].map((value) => (
              <button
                key={value}
                type="button"
                aria-pressed={interval === value}
                onClick={() => {
                  setInterval(value);
                  setBucket(null);
                }}
              >
                {humanize(value)}
              </button>
            ))}
          </div>
        </div>
        <TimelineChart
          buckets={data.quoteTimeline}
          interval={interval}
          selected={bucket?.start}
          onSelect={setBucket}
          speakerName={data.name}
        />
      </section>
      <section className="panel" aria-labelledby="quotes-title">
        <div className="section-head">
          <h2 id="quotes-title">
            {bucket
              ? `Quotes: ${bucketName(bucket.start, interval)}`
              : distinct
                ? "Each statement once, newest first"
                : "Every quote, newest first"}
          </h2>
          <div className="buttons">
            <label className="checkbox">
              <input type="checkbox" checked={distinct} onChange={(event) => setDistinct(event.target.checked)} />
              Each statement once
            </label>
            {bucket ? (
              <button type="button" onClick={() => setBucket(null)}>
                Show every quote
              </button>
            ) : null}
          </div>
        </div>
        <QuoteList
          key={`${data.id}-${range?.since ?? "all"}-${data.quoteCount}-${distinct}`}
          speakerId={data.id}
          range={range}
          distinct={distinct}
        />
      </section>
      <p className="muted small">
        <a href={speakerHref(data.id)}>Permalink</a> · id <code>{data.id}</code>
      </p>
    </main>
  );
}
