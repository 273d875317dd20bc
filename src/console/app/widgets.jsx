import { createContext, useContext, useEffect, useId, useRef, useState } from "react";

import { gql } from "./api";

/** Who is using the console: the key's client app, and whether it may write. */
export const SessionContext = createContext({ viewer: null, canWrite: false, readOnlyReason: "" });
export const useSession = () => useContext(SessionContext);

export function ErrorNote({ error }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      <code>{error.code ?? "ERROR"}</code> {error.message}
    </p>
  );
}

/**
 * A button that changes data. With a reader key it stays visible but disabled, and says why
 * next to it (and to assistive technology through aria-describedby).
 */
/** A filter bar's choice: "any" (empty) or one of `options`, shown through `show`. */
export function ChoiceFilter({ label, value, onChange, any, options, show = (option) => option }) {
  return (
    <label>
      {label}
      <select value={value} onChange={onChange}>
        <option value="">{any}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {show(option)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A filter bar's From / To days. */
export function DayRangeFilter({ since, until, onSince, onUntil }) {
  return (
    <>
      <label>
        From
        <input type="date" value={since} onChange={onSince} />
      </label>
      <label>
        To
        <input type="date" value={until} onChange={onUntil} />
      </label>
    </>
  );
}

export function WriteButton({ children, disabled, title, className = "", ...props }) {
  const session = useSession();
  const reasonId = useId();
  if (session.canWrite) {
    return (
      <button type="button" className={className} disabled={disabled} title={title} {...props}>
        {children}
      </button>
    );
  }
  return (
    <span className="write-blocked">
      <button type="button" className={className} {...props} disabled aria-describedby={reasonId} title={session.readOnlyReason}>
        {children}
      </button>
      <span id={reasonId} className="sr-only">
        {session.readOnlyReason}
      </span>
    </span>
  );
}

/** The visible reason every write button on a screen is disabled. */
export function ReadOnlyNotice() {
  const session = useSession();
  if (session.canWrite) return null;
  return (
    <p className="read-only" data-testid="read-only-reason">
      <strong>Read-only.</strong> {session.readOnlyReason}
    </p>
  );
}

/**
 * Text with some ranges marked: a bullet with its quotes. `spans` are [start, end) offsets
 * in UTF-16 code units, as the API gives them; `render` draws one marked range.
 */
export function Highlighted({ text, spans, render }) {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  sorted.forEach((span, index) => {
    const start = Math.max(span.start, at);
    if (start > at) parts.push(text.slice(at, start));
    if (span.end > start) parts.push(<span key={index}>{render(span, text.slice(start, span.end))}</span>);
    at = Math.max(at, span.end);
  });
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

/** Waits until typing pauses before asking the API. */
function useDebounced(value, ms) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const SPEAKER_SEARCH = `query ConsoleSpeakerSearch($search: String!) {
  speakers(search: $search, first: 8) { edges { node { id name kind role quoteCount } } }
}`;

/**
 * Type-ahead over `speakers(search:)`: arrows move, Enter picks, Escape cancels. A combobox
 * in the ARIA sense, so screen readers announce the highlighted option.
 */
export function SpeakerPicker({ label, onPick, onCancel, exclude = [], autoFocus = true, busy = false, submitLabel = "Pick" }) {
  const [text, setText] = useState("");
  // The options and the search they answer, so Enter never picks from an older search.
  const [result, setResult] = useState({ search: "", options: [] });
  const [active, setActive] = useState(0);
  const [error, setError] = useState(null);
  const search = useDebounced(text.trim(), 120);
  const listId = useId();
  const input = useRef(null);
  const latestText = useRef("");
  // Enter pressed before the search for the typed text answered: pick its first option when it does.
  const pendingEnter = useRef(false);
  latestText.current = text;
  const options = result.options;

  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);

  useEffect(() => {
    let live = true;
    if (!search) {
      setResult({ search: "", options: [] });
      return undefined;
    }
    gql(SPEAKER_SEARCH, { search })
      .then((data) => {
        if (!live) return;
        const found = data.speakers.edges.map((edge) => edge.node).filter((speaker) => !exclude.includes(speaker.id));
        setResult({ search, options: found });
        setActive(0);
        setError(null);
        if (pendingEnter.current && search === latestText.current.trim()) {
          pendingEnter.current = false;
          if (found[0]) onPick(found[0]);
        }
      })
      .catch((err) => live && setError(err));
    return () => {
      live = false;
    };
    // `exclude` is a fresh array on each render; its content is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, exclude.join(",")]);

  const onKeyDown = (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((index) => Math.min(index + 1, options.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (result.search === text.trim() && options[active]) onPick(options[active]);
      else if (text.trim()) pendingEnter.current = true;
    } else if (event.key === "Escape") {
      event.preventDefault();
      onCancel?.();
    }
    event.stopPropagation();
  };

  const open = options.length > 0;
  return (
    <div className="picker">
      <label>
        <span className="picker-label">{label}</span>
        <input
          ref={input}
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          value={text}
          disabled={busy}
          placeholder="Type a name or alias"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
      </label>
      <ul id={listId} role="listbox" className={open ? "options" : "options empty"}>
        {options.map((speaker, index) => (
          <li
            key={speaker.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? "active" : ""}
            onMouseDown={(event) => {
              event.preventDefault();
              onPick(speaker);
            }}
          >
            <span className="option-name">{speaker.name}</span>
            <span className="muted">
              {speaker.role ? `${speaker.role} · ` : ""}
              {speaker.quoteCount} quotes
            </span>
          </li>
        ))}
      </ul>
      {result.search && !open && !error ? <p className="muted small">No speaker matches “{result.search}”.</p> : null}
      <p className="hint">↑↓ choose · Enter {submitLabel.toLowerCase()} · Esc cancel</p>
      <ErrorNote error={error} />
    </div>
  );
}

/** Loads something from the API when `deps` change; `reload` asks again. */
export function useQuery(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    load()
      .then((data) => live && setState({ data, error: null, loading: false }))
      .catch((error) => live && setState({ data: null, error, loading: false }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);
  return { ...state, reload: () => setVersion((value) => value + 1) };
}

export const speakerHref = (id) => `#/speaker/${encodeURIComponent(id)}`;
export const storyHref = (id) => `#/story/${encodeURIComponent(id)}`;
