import { describe, expect, it } from "vitest";
import { readManifest, stripComments } from "./manifestView";

describe("readManifest", () => {
  it("reads fields, bare-string permissions and locale-map purposes", () => {
    const read = readManifest(
      JSON.stringify({
        id: "a",
        permissions: ["customer_read", { permission: "charge_read", purpose: { "en-US": "Charges", fr: "Paiements" } }],
        ui_extension: { views: [{ viewport: "settings", component: "S" }], content_security_policy: { "connect-src": ["https://x.com/a/"] } },
        post_install_action: { type: "external", url: "https://x.com/w" },
      }),
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.view.permissions).toEqual([
      { permission: "customer_read", purpose: "", purposeIsMap: false },
      { permission: "charge_read", purpose: "Charges", purposeIsMap: true },
    ]);
    expect(read.view.views).toEqual([{ viewport: "settings", component: "S" }]);
    expect(read.view.connectSrc).toEqual(["https://x.com/a/"]);
    expect(read.view.distributionType, "private is the default").toBe("private");
    expect(read.view.postInstallType).toBe("external");
  });

  it("tolerates comments but not other syntax errors", () => {
    expect(readManifest('{\n  // a comment with "quotes"\n  "name": "a // not a comment" /* block */\n}').ok).toBe(true);
    expect(stripComments('{"u": "https://x.com/"} // c')).toBe('{"u": "https://x.com/"}     ');
    expect(readManifest('{"name": }').ok).toBe(false);
  });
});
