import { useMemo } from "react";
import { VirtualList } from "../../components/VirtualList";

const CHUNK = 200;

/** Line and chunk starts: long lines (minified JSON) wrap every CHUNK characters. */
function segments(text: string): Int32Array {
  const starts: number[] = [];
  let at = 0;
  while (at <= text.length) {
    const nl = text.indexOf("\n", at);
    const lineEnd = nl < 0 ? text.length : nl;
    for (let s = at; s < lineEnd || s === at; s += CHUNK) {
      starts.push(s);
      if (lineEnd - s <= CHUNK) break;
    }
    if (nl < 0) break;
    at = nl + 1;
  }
  starts.push(text.length + 1);
  return Int32Array.from(starts);
}

/** The raw body, virtualized like the tree so a 20 MB body costs a few rows of DOM. */
export function RawView({ text, height = 420 }: { text: string; height?: number }) {
  const starts = useMemo(() => segments(text), [text]);
  return (
    <VirtualList
      count={starts.length - 1}
      rowHeight={18}
      height={height}
      label="Raw response body"
      testId="raw-body"
      renderRow={(i) => {
        const from = starts[i] as number;
        const to = Math.min(starts[i + 1] as number, from + CHUNK);
        return <span className="raw-line">{text.slice(from, to).replace(/\n$/, "")}</span>;
      }}
    />
  );
}
