import { useEffect, useState } from "react";
import { copyText } from "../lib/clipboard";

/** Copies `text`; says "Copied" for a moment, or that the clipboard refused. */
export function CopyButton({ text, label = "Copy", testId, small = true }: { text: string; label?: string; testId?: string; small?: boolean }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className={small ? "btn btn-small" : "btn"}
      data-testid={testId}
      disabled={text === ""}
      onClick={() => void copyText(text).then((ok) => setState(ok ? "copied" : "failed"))}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text" : label}
    </button>
  );
}
