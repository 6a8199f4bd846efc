import { EditorView } from "@codemirror/view";

/** The CodeMirror view rendered inside `container` (in the editor host's shadow root). */
export function editorView(container: HTMLElement): EditorView {
  const host = container.querySelector<HTMLElement>("[data-testid=json-editor-host]");
  const dom = host?.shadowRoot?.querySelector<HTMLElement>(".cm-editor");
  if (!dom) throw new Error("no CodeMirror editor rendered");
  const view = EditorView.findFromDOM(dom);
  if (!view) throw new Error("no EditorView for .cm-editor");
  return view;
}
