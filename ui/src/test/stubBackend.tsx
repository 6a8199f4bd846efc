import { QueryClient } from "@tanstack/react-query";
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { Providers } from "../App";
import type { Backend } from "../api/backend";
import { AppError } from "../api/errors";

/**
 * A `Backend` made of the calls a test gives it (typed stubs: `vi.fn<Backend["installCheck"]>()`);
 * any other call rejects, naming itself, so a test states every call the UI makes.
 */
export function stubBackend(calls: Partial<Backend>): Backend {
  return new Proxy(calls, {
    get(target, prop) {
      if (typeof prop !== "string" || prop === "then" || prop === "toJSON") return undefined;
      const given = target[prop as keyof Backend];
      if (given) return given;
      return () => Promise.reject(new AppError("internal", `${prop} is not stubbed in this test`));
    },
  }) as Backend;
}

export interface StubRendered extends RenderResult {
  client: QueryClient;
}

/** Render a tree over `backend` (from `stubBackend`) and a fresh query cache. */
export function renderWithStub(ui: ReactElement, backend: Backend): StubRendered {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
  const result = render(
    <Providers backend={backend} client={client}>
      {ui}
    </Providers>,
  );
  return { ...result, client };
}
