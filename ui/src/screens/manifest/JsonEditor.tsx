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

export function JsonEditor({ value, diagnostics, diagnosticsFor, path, onChange, onUndo, onRedo, onSave, ref }: JsonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onUndo, onRedo, onSave });

  useEffect(() => {
    handlers.current = { onChange, onUndo, onRedo, onSave };
  }, [onChange, onUndo, onRedo, onSave]);

  // Create the editor once. No CodeMirror history: undo/redo act on the shared buffer history.
  const initial = useRef(value);
  useEffect(() => {
    if (!host.current) return;
    const run = (fn: "onUndo" | "onRedo" | "onSave") => () => {
      handlers.current[fn]();
      return true;
    };
    const editor = new EditorView({
      parent: host.current,
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
          keymap.of([
            { key: "Mod-z", run: run("onUndo"), preventDefault: true },
            { key: "Mod-Shift-z", run: run("onRedo"), preventDefault: true },
            { key: "Mod-y", run: run("onRedo"), preventDefault: true },
            { key: "Mod-s", run: run("onSave"), preventDefault: true },
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
    return () => {
      editor.destroy();
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

  return <div className="json-editor" ref={host} />;
}
