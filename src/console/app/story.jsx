import { useEffect, useState } from "react";

import { formatDateTime, gql, humanize } from "./api";
import { ErrorNote, Highlighted, ReadOnlyNotice, speakerHref, storyHref, useQuery, WriteButton } from "./widgets";

const STORY = `query ConsoleStory($id: ID!) {
  story(id: $id) {
    id slug headline standfirst publishedAt section byline
    publication { name }
    bullets { id position text quotes { id text startOffset endOffset reviewState speaker { id name } } }
    related(first: 20) { edges { reason rank node { id headline publishedAt publication { name } } } }
  }
}`;

const STORY_SEARCH = `query ConsoleStorySearch($query: String!) {
  search(query: $query, kinds: [STORY], first: 8) { edges { node { ... on Story { id headline publication { name } } } } }
}`;

const LINK = `mutation ConsoleLinkStories($story: ID!, $related: ID!) { linkStories(story: $story, related: $related) { id } }`;
const UNLINK = `mutation ConsoleUnlinkStories($story: ID!, $related: ID!) { unlinkStories(story: $story, related: $related) { id } }`;

function LinkStory({ story, onLinked }) {
  const [text, setText] = useState("");
  const [results, setResults] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const query = text.trim();
    if (!query) {
      setResults([]);
      return undefined;
    }
    let live = true;
    const timer = setTimeout(() => {
      gql(STORY_SEARCH, { query })
        .then((data) => live && setResults(data.search.edges.map((edge) => edge.node).filter((node) => node.id && node.id !== story.id)))
        .catch((err) => live && setError(err));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, story.id]);
  const link = async (related) => {
    setBusy(true);
    try {
      await gql(LINK, { story: story.id, related: related.id });
      setText("");
      setError(null);
      onLinked();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="link-story">
      <label>
        Link a related story
        <input type="search" value={text} placeholder="Search headlines" onChange={(event) => setText(event.target.value)} />
      </label>
      {results.length ? (
        <ul className="plain results">
          {results.map((result) => (
            <li key={result.id}>
              <span>
                {result.headline} <span className="muted">· {result.publication.name}</span>
              </span>
              <WriteButton disabled={busy} onClick={() => link(result)}>
                Link
              </WriteButton>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorNote error={error} />
    </div>
  );
}

export function StoryPage({ id }) {
  const story = useQuery(() => gql(STORY, { id }), [id]);
  const [error, setError] = useState(null);
  const data = story.data?.story;
  if (story.error) return <ErrorNote error={story.error} />;
  if (!data) return <p className="muted">{story.loading ? "Loading…" : "No such story."}</p>;
  const unlink = async (related) => {
    try {
      await gql(UNLINK, { story: data.id, related: related.id });
      setError(null);
      story.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <main className="page story-page">
      <div className="page-head">
        <p className="eyebrow">
          {data.publication.name}
          {data.section ? ` · ${data.section}` : ""}
        </p>
        <h1>{data.headline}</h1>
        {data.standfirst ? <p className="lede">{data.standfirst}</p> : null}
        <p className="muted">
          {formatDateTime(data.publishedAt)}
          {data.byline ? ` · ${data.byline}` : ""}
        </p>
      </div>
      <ReadOnlyNotice />
      <section className="panel" aria-labelledby="bullets-title">
        <h2 id="bullets-title">Bullets</h2>
        <ol className="bullets">
          {data.bullets.map((bullet) => {
            const quotes = [...bullet.quotes].sort((a, b) => a.startOffset - b.startOffset);
            return (
              <li key={bullet.id}>
                <Highlighted
                  text={bullet.text}
                  spans={quotes.map((quote) => ({ start: quote.startOffset, end: quote.endOffset, quote }))}
                  render={(_span, text) => <mark>{text}</mark>}
                />
                {quotes.length ? (
                  <ul className="attributions" aria-label="Who said the marked quotes">
                    {quotes.map((quote) => (
                      <li key={quote.id}>
                        <span className="said">“{quote.text.length > 48 ? `${quote.text.slice(0, 48)}…` : quote.text}” —</span>
                        <span className="attribution">
                          {quote.speaker ? (
                            <a href={speakerHref(quote.speaker.id)}>{quote.speaker.name}</a>
                          ) : (
                            <em>no identifiable speaker</em>
                          )}
                          {quote.reviewState && quote.reviewState !== "UNREVIEWED" ? (
                            <span className={`badge badge-${quote.reviewState.toLowerCase()}`}>{humanize(quote.reviewState)}</span>
                          ) : null}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>
      <section className="panel" aria-labelledby="related-title">
        <h2 id="related-title">Related stories</h2>
        {data.related.edges.length ? (
          <ol className="plain related">
            {data.related.edges.map((edge) => (
              <li key={edge.node.id}>
                <div>
                  <a href={storyHref(edge.node.id)}>{edge.node.headline}</a>
                  <span className="muted"> · {edge.node.publication.name}</span>
                </div>
                <span className={`badge reason-${edge.reason.toLowerCase()}`}>{humanize(edge.reason)}</span>
                <WriteButton onClick={() => unlink(edge.node)}>Unlink</WriteButton>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">No related stories.</p>
        )}
        <ErrorNote error={error} />
        <LinkStory story={data} onLinked={story.reload} />
      </section>
    </main>
  );
}
