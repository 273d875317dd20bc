// The playground's browser entry, bundled by src/playground/build.ts into build/playground/.
// Plain JavaScript on purpose: it runs in the browser, outside the server's TypeScript
// project (whose settings have no DOM types).
import "graphiql/style.css";
import "./playground.css";

import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

/** Settings the server writes into the page: the endpoint and the example operations. */
const settings = JSON.parse(document.getElementById("newsgate-playground").textContent);

const DEFAULT_HEADERS = JSON.stringify({ Authorization: "Bearer " }, null, 2);

/**
 * GraphiQL's header editor starts with an empty key so the user sees where theirs goes;
 * an empty or placeholder key is left out rather than sent, which the server would refuse.
 */
async function fetcher(params, options) {
  const headers = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  for (const [name, value] of Object.entries(options?.headers ?? {})) {
    const text = String(value ?? "").trim();
    if (text === "" || (name.toLowerCase() === "authorization" && /^bearer$/i.test(text))) continue;
    headers[name] = text;
  }
  const response = await fetch(settings.endpoint, { method: "POST", headers, body: JSON.stringify(params), credentials: "omit" });
  return response.json();
}

createRoot(document.getElementById("graphiql")).render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: settings.operations.map((operation) => ({ query: operation.query, headers: DEFAULT_HEADERS })),
    defaultHeaders: DEFAULT_HEADERS,
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  }),
);
