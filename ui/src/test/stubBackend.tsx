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

/**
 * An implementation for `vi.fn<Backend["…"]>()` that answers each listed argument list (compared as
 * JSON) with its canned answer, and rejects any other, naming the arguments: a test states which
 * questions the UI asks, and gets core's answer to each.
 */
export function answering<A extends unknown[], R>(table: Array<[A, R]>): (...args: A) => Promise<R> {
  return (...args: A) => {
    const key = JSON.stringify(args);
    const hit = table.find(([given]) => JSON.stringify(given) === key);
    if (!hit) return Promise.reject(new AppError("internal", `no canned answer for ${key}`));
    return Promise.resolve(hit[1]);
  };
}
