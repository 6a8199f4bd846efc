import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from "react";
import { ManifestBuffer, type BufferSnapshot } from "./bufferStore";

class BufferRegistry {
  private readonly buffers = new Map<string, ManifestBuffer>();
  get(path: string): ManifestBuffer {
    let buffer = this.buffers.get(path);
    if (!buffer) {
      buffer = new ManifestBuffer(path);
      this.buffers.set(path, buffer);
    }
    return buffer;
  }
}

const RegistryContext = createContext<BufferRegistry | null>(null);

/** Holds unsaved buffers above the screens, so leaving the Manifest screen keeps edits. */
export function BufferProvider({ children }: { children: ReactNode }) {
  const [registry] = useState(() => new BufferRegistry());
  return <RegistryContext.Provider value={registry}>{children}</RegistryContext.Provider>;
}

export function useBuffer(path: string): { buffer: ManifestBuffer; snapshot: BufferSnapshot | null } {
  const registry = useContext(RegistryContext);
  if (!registry) throw new Error("useBuffer outside <BufferProvider>");
  const buffer = registry.get(path);
  const snapshot = useSyncExternalStore(buffer.subscribe, buffer.get);
  return { buffer, snapshot };
}

/** Whether a manifest has unsaved edits (for other screens to warn). */
export function useIsDirty(path: string): boolean {
  return useBuffer(path).snapshot?.dirty ?? false;
}
