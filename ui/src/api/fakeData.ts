import type { PermissionInfo } from "../bindings/PermissionInfo";

/** A small slice of the real catalog: enough for the browser demo and component tests. */
export const FAKE_CATALOG: PermissionInfo[] = [
  perm("customer_read", "read", "Customers", "Core", "object", "Read customers.", [], ["customer.created", "customer.updated", "customer.deleted"]),
  perm("customer_write", "write", "Customers", "Core", "object", "Create and update customers.", ["customer_read"], ["customer.created", "customer.updated", "customer.deleted"]),
  perm("charge_read", "read", "Charges", "Payments", "object", "Read charges and refunds.", [], ["charge.succeeded", "charge.refunded"]),
  perm("invoice_read", "read", "Invoices", "Billing", "object", "Read invoices.", [], ["invoice.paid", "invoice.created"]),
  perm("invoice_write", "write", "Invoices", "Billing", "object", "Create, finalize and void invoices.", ["invoice_read"], ["invoice.paid", "invoice.created"]),
  perm("event_read", "read", "Events", "Core", "object", "Receive webhook events, including install and uninstall.", [], ["account.application.authorized", "account.application.deauthorized"]),
  perm("secret_write", "write", "Secrets", "Apps", "object", "Store secrets in the Secret Store.", [], []),
  perm("user_email_read", "read", "User email", "Apps", "object", "Read the dashboard user's email.", [], []),
  perm("checkout_session_read", "read", "Checkout Sessions", "Checkout", "event-table-only", "Receive Checkout Session events.", [], ["checkout.session.completed"]),
  perm("shpping_rate_write", "write", "Shipping rates", "Checkout", "schema-enum-only", "Misspelled name listed only by the schema.", [], []),
];

export const FAKE_EVENT_TYPES: string[] = Array.from(
  new Set(FAKE_CATALOG.flatMap((p) => p.events)),
).sort();

function perm(
  permission: string,
  access: string,
  resource: string,
  category: string,
  kind: PermissionInfo["kind"],
  description: string,
  implies: string[],
  events: string[],
): PermissionInfo {
  return { permission, access, resource, category, kind, description, implies, notes: "", events, grantable: kind !== "schema-enum-only", refusal: null };
}

export const DEMO_MANIFEST = `{
  "id": "com.example.demo-app",
  "version": "0.0.1",
  "name": "Demo",
  "icon": "./icon.png",
  "distribution_type": "private",
  "stripe_api_access_type": "platform",
  "permissions": [
    { "permission": "customer_read", "purpose": "Show the customer's orders" },
    { "permission": "customers_write", "purpose": "" }
  ],
  "ui_extension": {
    "views": [
      { "viewport": "stripe.dashboard.customer.detail", "component": "CustomerDetail" }
    ],
    "content_security_policy": {
      "connect-src": ["https://api.example.com/v1/"],
      "image-src": [],
      "purpose": "Load order history from Example"
    }
  },
  "allowed_redirect_uris": []
}
`;
