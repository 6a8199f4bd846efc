import { defaultKeymap, indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { Annotation, EditorSelection, EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { useEffect, useImperativeHandle, useRef, type Ref } from "react";
import type { Diagnostic } from "../../bindings/Diagnostic";
import { byteToUtf16 } from "../../lib/offsets";

/**
 * CodeMirror styles itself at run time. In a document that means <style> elements, which a strict
 * CSP (`style-src 'self'`, no 'unsafe-inline') blocks; inside a shadow root it uses constructed
 * stylesheets, which CSP does not block. So the editor lives in an open shadow root, and its look
 * is a CodeMirror theme rather than app CSS.
 */
const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "12.5px", backgroundColor: "#ffffff", color: "#1a1f36" },
  "&.cm-focused": { outline: "2px solid #2563eb", outlineOffset: "-2px" },
  ".cm-scroller": {
    fontFamily: 'ui-monospace, "SF Mono", "Cascadia Code", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
    lineHeight: "1.5",
  },
  ".cm-gutters": { backgroundColor: "#f6f7f9", borderRight: "1px solid #dfe3e8", color: "#8792a2" },
  ".cm-activeLine": { backgroundColor: "#f3f5ff" },
  ".cm-activeLineGutter": { backgroundColor: "#e8ebff" },
  ".cm-tooltip": { fontFamily: "system-ui, sans-serif", fontSize: "12.5px" },
  // The lint package draws squiggles and gutter markers with data: SVG images, which `img-src 'self'`
  // blocks: plain CSS instead.
  ".cm-lintRange": { backgroundImage: "none", textDecoration: "underline wavy", textUnderlineOffset: "3px", textDecorationSkipInk: "none" },
  ".cm-lintRange-error": { textDecorationColor: "#c0262d" },
  ".cm-lintRange-warning": { textDecorationColor: "#c77700" },
  ".cm-lintRange-info, .cm-lintRange-hint": { textDecorationColor: "#4f46e5" },
  ".cm-lint-marker": { content: "normal", width: "0.7em", height: "0.7em", borderRadius: "50%", margin: "0.35em 0.15em 0" },
  ".cm-lint-marker-error": { content: "normal", backgroundColor: "#e5484d" },
  ".cm-lint-marker-warning": { content: "normal", backgroundColor: "#f5a524" },
  ".cm-lint-marker-info": { content: "normal", backgroundColor: "#6e6ae8" },
});

/** Marks transactions that bring the editor in line with the buffer (not user input). */
const fromBuffer = Annotation.define<boolean>();

export interface JsonEditorHandle {
  /** Select a byte range of the current text, scroll to it and focus the editor. */
  selectBytes(start: number, end: number): void;
}

export interface JsonEditorProps {
  value: string;
  diagnostics: Diagnostic[];
  /** The text `diagnostics` describe; they are shown only when it is the editor's text. */
  diagnosticsFor: string;
  path: string;
  onChange: (text: string) => void;
  onUndo: () => void;
  onRedo: () => void;
  onSave: () => void;
  /** Called once the editor is in the page with its text (start-up timing). */
  onMounted?: () => void;
  ref?: Ref<JsonEditorHandle>;
}

function toCm(text: string, diagnostics: Diagnostic[], path: string): CmDiagnostic[] {
  const length = text.length;
  return diagnostics
    .filter((d) => d.file === null || d.file === path)
    .map((d) => {
      const from = Math.min(byteToUtf16(text, d.start), length);
      const to = Math.min(Math.max(from, byteToUtf16(text, d.end)), length);
      const suggestion = d.suggestion ? ` Suggestion: ${d.suggestion}` : "";
      return { from, to, severity: d.severity, source: d.code, message: `${d.message}${suggestion}` };
    });
}

export function JsonEditor({ value, diagnostics, diagnosticsFor, path, onChange, onUndo, onRedo, onSave, onMounted, ref }: JsonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onUndo, onRedo, onSave });

  useEffect(() => {
    handlers.current = { onChange, onUndo, onRedo, onSave };
  }, [onChange, onUndo, onRedo, onSave]);
  const mounted = useRef(onMounted);

  // Create the editor once. No CodeMirror history: undo/redo act on the shared buffer history.
  const initial = useRef(value);
  useEffect(() => {
    const hostEl = host.current;
    if (!hostEl) return;
    const shadow = hostEl.shadowRoot ?? hostEl.attachShadow({ mode: "open" });
    const container = document.createElement("div");
    container.style.height = "100%";
    shadow.appendChild(container);
    // One handler reading the event itself: CodeMirror's name matching for shifted letters
    // (Ctrl+Shift+Z) differs across platforms.
    const shortcuts = (_view: EditorView, e: KeyboardEvent): boolean => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return false;
      const key = e.key.toLowerCase();
      const action = key === "s" ? "onSave" : key === "y" || (key === "z" && e.shiftKey) ? "onRedo" : key === "z" ? "onUndo" : null;
      if (!action) return false;
      e.preventDefault();
      handlers.current[action]();
      return true;
    };
    const editor = new EditorView({
      root: shadow,
      parent: container,
      state: EditorState.create({
        doc: initial.current,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          json(),
          lintGutter(),
          theme,
          keymap.of([
            { any: shortcuts },
            indentWithTab,
            ...defaultKeymap,
          ]),
          EditorView.contentAttributes.of({ "aria-label": "Manifest JSON", "data-testid": "json-editor" }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            if (update.transactions.some((tr) => tr.annotation(fromBuffer))) return;
            handlers.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    mounted.current?.();
    return () => {
      editor.destroy();
      container.remove();
      view.current = null;
    };
  }, []);

  // Follow the buffer (form edits, undo/redo, reloads).
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current === value) return;
    let from = 0;
    while (from < current.length && from < value.length && current[from] === value[from]) from++;
    let endCur = current.length;
    let endNew = value.length;
    while (endCur > from && endNew > from && current[endCur - 1] === value[endNew - 1]) {
      endCur--;
      endNew--;
    }
    editor.dispatch({ changes: { from, to: endCur, insert: value.slice(from, endNew) }, annotations: fromBuffer.of(true) });
  }, [value]);

  // Show the diagnostics that describe the editor's current text.
  useEffect(() => {
    const editor = view.current;
    if (!editor || diagnosticsFor !== editor.state.doc.toString()) return;
    editor.dispatch(setDiagnostics(editor.state, toCm(diagnosticsFor, diagnostics, path)));
  }, [diagnostics, diagnosticsFor, path, value]);

  useImperativeHandle(
    ref,
    () => ({
      selectBytes(start: number, end: number) {
        const editor = view.current;
        if (!editor) return;
        const text = editor.state.doc.toString();
        const from = Math.min(byteToUtf16(text, start), text.length);
        const to = Math.min(Math.max(from, byteToUtf16(text, end)), text.length);
        editor.dispatch({
          selection: EditorSelection.single(from, to),
          effects: EditorView.scrollIntoView(from, { y: "center" }),
        });
        editor.focus();
      },
    }),
    [],
  );

  return <div className="json-editor" ref={host} data-testid="json-editor-host" />;
}
