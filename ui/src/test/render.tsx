import { QueryClient } from "@tanstack/react-query";
import { render, type RenderResult } from "@testing-library/react";
import { EditorView } from "@codemirror/view";
import type { ReactElement } from "react";
import { Providers } from "../App";
import { FakeBackend, type FakeOptions } from "../api/fake";

export interface Rendered extends RenderResult {
  backend: FakeBackend;
  client: QueryClient;
}

/** Render a tree over a fresh in-memory backend and query cache. */
export function renderWithBackend(ui: ReactElement, options: FakeOptions | FakeBackend = {}): Rendered {
  const backend = options instanceof FakeBackend ? options : new FakeBackend(options);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
  const result = render(
    <Providers backend={backend} client={client}>
      {ui}
    </Providers>,
  );
  return { ...result, backend, client };
}

/** The CodeMirror view rendered inside `container` (in the editor host's shadow root). */
export function editorView(container: HTMLElement): EditorView {
  const host = container.querySelector<HTMLElement>("[data-testid=json-editor-host]");
  const dom = host?.shadowRoot?.querySelector<HTMLElement>(".cm-editor");
  if (!dom) throw new Error("no CodeMirror editor rendered");
  const view = EditorView.findFromDOM(dom);
  if (!view) throw new Error("no EditorView for .cm-editor");
  return view;
}
