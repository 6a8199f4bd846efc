/** Viewports the Stripe Apps schema lists, plus `stripe.dashboard.fullpage` from Stripe's own example. */
const DASHBOARD = [
  "balance.overview",
  "billing.overview",
  "customer.detail",
  "customer.detail.page-module",
  "customer.list",
  "drawer.default",
  "home.overview",
  "invoice.detail",
  "invoice.detail.page-module",
  "invoice.list",
  "payment-link.detail",
  "payment-link.list",
  "payment.detail",
  "payment.list",
  "product.detail",
  "product.list",
  "report.overview",
  "revenue-recognition.overview",
  "subscription.detail",
  "subscription.list",
  "tax-report.overview",
  "fullpage",
];

export const VIEWPORTS: string[] = ["onboarding", "settings", ...DASHBOARD.map((v) => `stripe.dashboard.${v}`)];
