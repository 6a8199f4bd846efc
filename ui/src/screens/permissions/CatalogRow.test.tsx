import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { PermissionInfo } from "../../bindings/PermissionInfo";
import { CatalogRow } from "./CatalogRow";

function info(permission: string, grantable: boolean, refusal: string | null): PermissionInfo {
  return {
    permission,
    access: "write",
    resource: "Webhook",
    category: "Core",
    kind: "object",
    description: "Grants access to Webhook Endpoints",
    implies: [],
    notes: "",
    events: [],
    grantable,
    refusal,
  };
}

function row(p: PermissionInfo) {
  render(
    <ul>
      <CatalogRow info={p} granted={false} open={false} busy={false} onOpen={vi.fn()} onClose={vi.fn()} onGrant={vi.fn()} />
    </ul>,
  );
}

describe("catalog row", () => {
  it("offers no grant for a permission upload refuses, and says why", () => {
    row(info("webhook_write", false, "requesting webhook_write permission is disallowed"));
    expect(screen.queryByTestId("grant-webhook_write")).not.toBeInTheDocument();
    expect(screen.getByTestId("not-grantable-webhook_write")).toBeInTheDocument();
    expect(screen.getByTestId("refusal-webhook_write")).toHaveTextContent("requesting webhook_write permission is disallowed");
  });

  it("offers a grant for a grantable permission", () => {
    row(info("webhook_read", true, null));
    expect(screen.getByTestId("grant-webhook_read")).toBeInTheDocument();
    expect(screen.queryByTestId("not-grantable-webhook_read")).not.toBeInTheDocument();
  });
});
