/**
 * Measures how the response viewer behaved for the shell's benchmark: time from the response
 * arriving to the first painted tree rows, and the longest main-thread stall meanwhile
 * (a 16 ms ticker's largest lateness, or a long task when the engine reports them).
 */
export interface ViewerStats {
  firstPaintMs: number;
  longestStallMs: number;
}

declare global {
  interface Window {
    __appdeckViewerStats?: ViewerStats;
  }
}

const TICK_MS = 16;
const SETTLE_MS = 300;

export class StallMonitor {
  private last = performance.now();
  private longest = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private observer: PerformanceObserver | null = null;
  private paintedAt: number | null = null;
  private stopTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly startedAt: number) {
    this.last = performance.now();
    // The time before we got here (rendering the response's arrival) counts too.
    this.longest = Math.max(0, this.last - startedAt);
    this.timer = setInterval(() => {
      const now = performance.now();
      this.longest = Math.max(this.longest, now - this.last - TICK_MS);
      this.last = now;
    }, TICK_MS);
    try {
      if (typeof PerformanceObserver !== "undefined" && PerformanceObserver.supportedEntryTypes?.includes("longtask")) {
        this.observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) this.longest = Math.max(this.longest, e.duration);
        });
        this.observer.observe({ type: "longtask" });
      }
    } catch {
      this.observer = null;
    }
  }

  /** Call once the first rows are on screen; stats are published a little later. */
  painted(): void {
    if (this.paintedAt !== null) return;
    this.paintedAt = performance.now();
    this.stopTimer = setTimeout(() => this.finish(), SETTLE_MS);
  }

  private finish(): void {
    this.stop();
    if (this.paintedAt === null || typeof window === "undefined") return;
    window.__appdeckViewerStats = { firstPaintMs: Math.round(this.paintedAt - this.startedAt), longestStallMs: Math.round(Math.max(0, this.longest)) };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.observer?.disconnect();
    this.timer = null;
  }
}

/** After the browser has painted what was just committed. */
export function afterPaint(fn: () => void): () => void {
  let cancelled = false;
  const raf = typeof requestAnimationFrame === "function" ? requestAnimationFrame : (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 0);
  raf(() => setTimeout(() => !cancelled && fn(), 0));
  return () => {
    cancelled = true;
  };
}
