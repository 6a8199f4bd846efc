import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => cleanup());

// jsdom has no layout; CodeMirror measures ranges when scrolling a selection into view.
const emptyRects = (): DOMRectList => {
  const list: DOMRect[] = [];
  return Object.assign(list, { item: (i: number) => list[i] ?? null }) as unknown as DOMRectList;
};
if (typeof Range !== "undefined") {
  Range.prototype.getClientRects = emptyRects;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
}
if (typeof document !== "undefined" && !document.elementFromPoint) {
  document.elementFromPoint = () => null;
}
// Without ShadowRoot.getSelection (jsdom, like Safari) CodeMirror reads the selection through a
// `beforeinput` hack that calls execCommand, which jsdom lacks.
if (typeof document !== "undefined" && typeof document.execCommand !== "function") {
  document.execCommand = () => false;
}
