// The editors' console, bundled by src/console/build.ts into build/console/ and served at
// /console. It talks only to /graphql, with the key the editor types in once per tab.
import "./console.css";

import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

import { gql, keyStore } from "./api";
import { CorrectionsPage } from "./corrections";
import { QueuePage } from "./queue";
import { SpeakerPage } from "./speaker";
import { StoryPage } from "./story";
import { ErrorNote, SessionContext } from "./widgets";

const VIEWER = `query ConsoleViewer { viewer { name role } }`;

/** The screen is chosen by the URL hash (#/queue, #/speaker/ID, …); the key never goes there. */
function useRoute() {
  const read = () => (window.location.hash.replace(/^#\/?/, "") || "queue").split("/").map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

function KeyPrompt({ onSession, error: initialError }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState(initialError ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    keyStore.set(key.trim());
    try {
      const { viewer } = await gql(VIEWER);
      if (!viewer) throw Object.assign(new Error("This key belongs to no client app"), { code: "UNAUTHENTICATED" });
      onSession(viewer);
    } catch (err) {
      keyStore.clear();
      setError(err);
      setBusy(false);
    }
  };
  return (
    <main className="key-prompt">
      <h1>Newsgate console</h1>
      <p>Enter your API key. It stays in this browser tab only (session storage) and is sent to this server’s GraphQL API, nowhere else.</p>
      <form onSubmit={submit} action="#">
        <label>
          API key
          <input type="password" autoComplete="off" autoFocus value={key} onChange={(event) => setKey(event.target.value)} required />
        </label>
        <button type="submit" className="primary" disabled={busy || !key.trim()}>
          Open the console
        </button>
      </form>
      <ErrorNote error={error} />
    </main>
  );
}

const NAV = [
  ["queue", "Review queue"],
  ["corrections", "Corrections log"],
];

function Shell({ session, onSignOut }) {
  const [screen, ...rest] = useRoute();
  const page =
    screen === "speaker" ? (
      <SpeakerPage id={rest[0]} key={rest[0]} />
    ) : screen === "story" ? (
      <StoryPage id={rest[0]} key={rest[0]} />
    ) : screen === "corrections" ? (
      <CorrectionsPage />
    ) : (
      <QueuePage />
    );
  return (
    <SessionContext.Provider value={session}>
      <header className="topbar">
        <a className="brand" href="#/queue">
          Newsgate <span>console</span>
        </a>
        <nav aria-label="Screens">
          {NAV.map(([name, label]) => (
            <a key={name} href={`#/${name}`} aria-current={screen === name || (name === "queue" && !screen) ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <div className="who">
          <span>
            {session.viewer.name} ·{" "}
            <span className={`role role-${session.viewer.role.toLowerCase()}`}>{session.viewer.role.toLowerCase()}</span>
          </span>
          <button type="button" className="link" onClick={onSignOut}>
            Forget key
          </button>
        </div>
      </header>
      <div className="content">{page}</div>
    </SessionContext.Provider>
  );
}

function sessionOf(viewer) {
  const canWrite = viewer.role === "EDITOR" || viewer.role === "ADMIN";
  return {
    viewer,
    canWrite,
    readOnlyReason: canWrite
      ? ""
      : `The key of “${viewer.name}” has the ${viewer.role.toLowerCase()} role: you can browse, but changes need an editor key.`,
  };
}

function App() {
  const [session, setSession] = useState(null);
  const [checking, setChecking] = useState(Boolean(keyStore.get()));
  const [error, setError] = useState(null);
  // A key kept from earlier in this tab: check it is still valid before showing screens.
  useEffect(() => {
    if (!keyStore.get()) return;
    gql(VIEWER)
      .then(({ viewer }) => {
        if (viewer) setSession(sessionOf(viewer));
        else keyStore.clear();
      })
      .catch((err) => {
        keyStore.clear();
        setError(err);
      })
      .finally(() => setChecking(false));
  }, []);
  if (checking) return <p className="boot">Checking your key…</p>;
  if (!session) return <KeyPrompt error={error} onSession={(viewer) => setSession(sessionOf(viewer))} />;
  return (
    <Shell
      session={session}
      onSignOut={() => {
        keyStore.clear();
        setSession(null);
      }}
    />
  );
}

createRoot(document.getElementById("console")).render(<App />);
