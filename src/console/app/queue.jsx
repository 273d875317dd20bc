import { useEffect, useRef, useState } from "react";

import { ATTRIBUTION_RULES, compact, dayEnd, dayStart, formatDate, gql, humanize } from "./api";
import {
  ChoiceFilter,
  DayRangeFilter,
  ErrorNote,
  Highlighted,
  ReadOnlyNotice,
  SpeakerPicker,
  speakerHref,
  storyHref,
  useQuery,
  useSession,
  WriteButton,
} from "./widgets";

const PAGE_SIZE = 10;

const QUOTE_FIELDS = `fragment ConsoleQueueQuote on Quote {
  id text startOffset endOffset attributionRule attributionConfidence reviewState reviewedBy publishedAt
  echoCount
  firstReported { id story { id publication { name } } }
  speaker { id name role }
  bullet { text }
  story { id headline publication { name } }
}`;

const QUEUE = `query ConsoleReviewQueue($filter: ReviewQueueFilter, $first: Int, $after: String) {
  reviewQueue(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ...ConsoleQueueQuote } }
  }
}
${QUOTE_FIELDS}`;

const PUBLICATIONS = `query ConsolePublications { publications(first: 100) { edges { node { slug name } } } }`;

const CONFIRM = `mutation ConsoleConfirmQuote($quote: ID!) { confirmQuote(quote: $quote) { ...ConsoleQueueQuote } }
${QUOTE_FIELDS}`;
const SET_SPEAKER = `mutation ConsoleSetQuoteSpeaker($quote: ID!, $speaker: ID) { setQuoteSpeaker(quote: $quote, speaker: $speaker) { ...ConsoleQueueQuote } }
${QUOTE_FIELDS}`;
const CREATE_SPEAKER = `mutation ConsoleCreateSpeakerForQuote($quote: ID!, $name: String!, $kind: SpeakerKind) {
  createSpeakerForQuote(quote: $quote, name: $name, kind: $kind) { ...ConsoleQueueQuote }
}
${QUOTE_FIELDS}`;

const isTyping = (target) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

function Filters({ filters, setFilters }) {
  const publications = useQuery(() => gql(PUBLICATIONS), []);
  const [pickingSpeaker, setPickingSpeaker] = useState(false);
  const set = (name) => (event) =>
    setFilters({ ...filters, [name]: event.target.type === "checkbox" ? event.target.checked : event.target.value });
  return (
    <form className="filters" aria-label="Filter the queue" onSubmit={(event) => event.preventDefault()}>
      <label>
        Publication
        <select value={filters.publication} onChange={set("publication")}>
          <option value="">All publications</option>
          {(publications.data?.publications.edges ?? []).map(({ node }) => (
            <option key={node.slug} value={node.slug}>
              {node.name}
            </option>
          ))}
        </select>
      </label>
      <div className="filter-speaker">
        <span className="label-text">Speaker</span>
        {filters.speaker ? (
          <span className="chip">
            {filters.speaker.name}
            <button
              type="button"
              className="link"
              aria-label={`Clear the speaker filter (${filters.speaker.name})`}
              onClick={() => setFilters({ ...filters, speaker: null })}
            >
              ×
            </button>
          </span>
        ) : pickingSpeaker ? (
          <SpeakerPicker
            label="Find a speaker"
            submitLabel="Filter"
            onPick={(speaker) => {
              setPickingSpeaker(false);
              setFilters({ ...filters, speaker });
            }}
            onCancel={() => setPickingSpeaker(false)}
          />
        ) : (
          <button type="button" onClick={() => setPickingSpeaker(true)}>
            Any speaker…
          </button>
        )}
      </div>
      <DayRangeFilter since={filters.since} until={filters.until} onSince={set("since")} onUntil={set("until")} />
      <ChoiceFilter label="Rule" value={filters.rule} onChange={set("rule")} any="Any rule" options={ATTRIBUTION_RULES} show={humanize} />
      <label className="checkbox">
        <input type="checkbox" checked={filters.includeReviewed} onChange={set("includeReviewed")} />
        Include reviewed
      </label>
    </form>
  );
}

function Confidence({ value }) {
  const percent = Math.round(value * 100);
  const level = value < 0.5 ? "low" : value < 0.9 ? "mid" : "high";
  return (
    <span className={`confidence confidence-${level}`} title={`Attribution confidence ${value}`}>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </span>
      {percent}%
    </span>
  );
}

function NewSpeakerForm({ onSubmit, onCancel, busy }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState("PERSON");
  const input = useRef(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim()) onSubmit(name.trim(), kind);
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
        event.stopPropagation();
      }}
    >
      <label>
        New speaker’s name
        <input ref={input} type="text" value={name} onChange={(event) => setName(event.target.value)} disabled={busy} />
      </label>
      <label>
        Kind
        <select value={kind} onChange={(event) => setKind(event.target.value)} disabled={busy}>
          <option value="PERSON">Person</option>
          <option value="ORGANISATION">Organisation</option>
        </select>
      </label>
      <button type="submit" className="primary" disabled={busy || !name.trim()}>
        Create and assign
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

function QueueRow({ quote, selected, mode, busy, error, onSelect, act, setMode }) {
  const row = useRef(null);
  useEffect(() => {
    if (selected && !mode) {
      row.current?.focus({ preventScroll: true });
      row.current?.scrollIntoView({ block: "nearest" });
    }
  }, [selected, mode]);
  return (
    <li
      ref={row}
      tabIndex={selected ? 0 : -1}
      className={`queue-row ${selected ? "selected" : ""} state-${quote.reviewState.toLowerCase()}`}
      aria-current={selected ? "true" : undefined}
      data-quote-id={quote.id}
      onClick={onSelect}
    >
      <div className="row-main">
        <p className="bullet">
          <Highlighted
            text={quote.bullet.text}
            spans={[{ start: quote.startOffset, end: quote.endOffset }]}
            render={(_span, text) => <mark>{text}</mark>}
          />
        </p>
        <p className="meta">
          <a href={storyHref(quote.story.id)}>{quote.story.headline}</a> · {quote.story.publication.name} · {formatDate(quote.publishedAt)}
          {quote.echoCount > 0 ? (
            <span className="echoes">
              {" · "}
              {quote.echoCount === 1 ? "1 other report" : `${quote.echoCount} other reports`}
              {quote.firstReported.id !== quote.id ? (
                <>
                  , first in <a href={storyHref(quote.firstReported.story.id)}>{quote.firstReported.story.publication.name}</a>
                </>
              ) : (
                ", this one first"
              )}
            </span>
          ) : null}
        </p>
      </div>
      <dl className="row-facts">
        <div>
          <dt>Proposed speaker</dt>
          <dd className="speaker-cell">
            {quote.speaker ? (
              <a href={speakerHref(quote.speaker.id)}>{quote.speaker.name}</a>
            ) : quote.reviewState === "UNREVIEWED" ? (
              <em>None proposed</em>
            ) : (
              <em>No identifiable speaker</em>
            )}
          </dd>
        </div>
        <div>
          <dt>Rule</dt>
          <dd>{humanize(quote.attributionRule)}</dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd>
            <Confidence value={quote.attributionConfidence} />
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            <span className={`badge badge-${quote.reviewState.toLowerCase()}`}>{humanize(quote.reviewState)}</span>
          </dd>
        </div>
      </dl>
      {selected ? (
        <div className="row-actions" onClick={(event) => event.stopPropagation()}>
          {mode === "reassign" ? (
            <SpeakerPicker
              label="Reassign to"
              submitLabel="Reassign"
              busy={busy}
              exclude={quote.speaker ? [quote.speaker.id] : []}
              onPick={(speaker) => act("reassign", { speaker: speaker.id })}
              onCancel={() => setMode(null)}
            />
          ) : mode === "new" ? (
            <NewSpeakerForm busy={busy} onCancel={() => setMode(null)} onSubmit={(name, kind) => act("new", { name, kind })} />
          ) : (
            <div className="buttons">
              <WriteButton
                className="primary"
                disabled={busy || !quote.speaker}
                title={quote.speaker ? undefined : "No speaker is proposed: reassign, create one, or mark it as having none"}
                onClick={() => act("confirm")}
              >
                Confirm <kbd>c</kbd>
              </WriteButton>
              <WriteButton disabled={busy} onClick={() => setMode("reassign")}>
                Reassign <kbd>r</kbd>
              </WriteButton>
              <WriteButton disabled={busy} onClick={() => setMode("new")}>
                New speaker <kbd>n</kbd>
              </WriteButton>
              <WriteButton disabled={busy} onClick={() => act("none")}>
                No identifiable speaker <kbd>x</kbd>
              </WriteButton>
            </div>
          )}
          <ErrorNote error={error} />
        </div>
      ) : null}
    </li>
  );
}

export function QueuePage() {
  const session = useSession();
  const [filters, setFilters] = useState({ publication: "", speaker: null, since: "", until: "", rule: "", includeReviewed: false });
  // Cursors of the pages seen so far, so [ goes back without a backward cursor.
  const [cursors, setCursors] = useState([null]);
  const [pageIndex, setPageIndex] = useState(0);
  const [rows, setRows] = useState([]);
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState({});
  const variables = {
    first: PAGE_SIZE,
    after: cursors[pageIndex],
    filter: compact({
      publication: filters.publication,
      speaker: filters.speaker?.id,
      since: dayStart(filters.since),
      until: dayEnd(filters.until),
      rule: filters.rule,
      includeReviewed: filters.includeReviewed || undefined,
    }),
  };
  const queue = useQuery(() => gql(QUEUE, variables), [JSON.stringify(variables)]);
  const connection = queue.data?.reviewQueue;

  useEffect(() => {
    if (!connection) return;
    setRows(connection.edges.map((edge) => edge.node));
    setSelected(0);
    setMode(null);
    setErrors({});
  }, [connection]);

  const changeFilters = (next) => {
    setFilters(next);
    setCursors([null]);
    setPageIndex(0);
  };
  const nextPage = () => {
    if (!connection?.pageInfo.hasNextPage) return;
    setCursors((list) => [...list.slice(0, pageIndex + 1), connection.pageInfo.endCursor]);
    setPageIndex((index) => index + 1);
  };
  const previousPage = () => setPageIndex((index) => Math.max(0, index - 1));

  const act = async (action, args = {}) => {
    const quote = rows[selected];
    if (!quote || !session.canWrite || busy) return;
    setBusy(true);
    try {
      const data =
        action === "confirm"
          ? (await gql(CONFIRM, { quote: quote.id })).confirmQuote
          : action === "reassign"
            ? (await gql(SET_SPEAKER, { quote: quote.id, speaker: args.speaker })).setQuoteSpeaker
            : action === "none"
              ? (await gql(SET_SPEAKER, { quote: quote.id, speaker: null })).setQuoteSpeaker
              : (await gql(CREATE_SPEAKER, { quote: quote.id, name: args.name, kind: args.kind })).createSpeakerForQuote;
      setRows((list) => list.map((row) => (row.id === quote.id ? data : row)));
      setErrors((map) => ({ ...map, [quote.id]: null }));
      setMode(null);
      // The reviewed row stays in view, marked; the editor moves on to the next.
      setSelected((index) => Math.min(index + 1, rows.length - 1));
    } catch (error) {
      setErrors((map) => ({ ...map, [quote.id]: error }));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const onKeyDown = (event) => {
      if (mode || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const quote = rows[selected];
      const handlers = {
        j: () => setSelected((index) => Math.min(index + 1, rows.length - 1)),
        ArrowDown: () => setSelected((index) => Math.min(index + 1, rows.length - 1)),
        k: () => setSelected((index) => Math.max(index - 1, 0)),
        ArrowUp: () => setSelected((index) => Math.max(index - 1, 0)),
        "]": nextPage,
        "[": previousPage,
        c: () => quote?.speaker && act("confirm"),
        x: () => quote && act("none"),
        r: () => session.canWrite && setMode("reassign"),
        n: () => session.canWrite && setMode("new"),
      };
      const handler = handlers[event.key];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  });

  const first = pageIndex * PAGE_SIZE + 1;
  return (
    <main className="page queue-page">
      <div className="page-head">
        <h1>Review queue</h1>
        <p className="lede">Quotes whose speaker Newsgate is least sure of come first. Confirm the speaker, or correct it.</p>
      </div>
      <Filters filters={filters} setFilters={changeFilters} />
      <ReadOnlyNotice />
      <p className="keys" aria-label="Keyboard shortcuts">
        <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>c</kbd> confirm · <kbd>r</kbd> reassign · <kbd>n</kbd> new speaker · <kbd>x</kbd> no speaker ·{" "}
        <kbd>[</kbd>/<kbd>]</kbd> page
      </p>
      <ErrorNote error={queue.error} />
      {connection ? (
        <>
          <p className="count" aria-live="polite">
            {connection.totalCount === 0
              ? "Nothing to review."
              : `${first}–${first + rows.length - 1} of ${connection.totalCount} ${filters.includeReviewed ? "quotes" : "unreviewed quotes"}`}
          </p>
          <ol className="queue" aria-label="Quotes to review" aria-busy={queue.loading}>
            {rows.map((quote, index) => (
              <QueueRow
                key={quote.id}
                quote={quote}
                selected={index === selected}
                mode={index === selected ? mode : null}
                busy={busy}
                error={errors[quote.id]}
                onSelect={() => {
                  if (index !== selected) setMode(null);
                  setSelected(index);
                }}
                act={act}
                setMode={setMode}
              />
            ))}
          </ol>
          <nav className="pager" aria-label="Queue pages">
            <button type="button" onClick={previousPage} disabled={pageIndex === 0}>
              ← Previous <kbd>[</kbd>
            </button>
            <span>Page {pageIndex + 1}</span>
            <button type="button" onClick={nextPage} disabled={!connection.pageInfo.hasNextPage}>
              Next <kbd>]</kbd> →
            </button>
          </nav>
        </>
      ) : queue.loading ? (
        <p className="muted">Loading…</p>
      ) : null}
    </main>
  );
}
