/**
 * The viewports the form offers: written by core from its own list (Stripe's viewport reference,
 * `onboarding` and `stripe.dashboard.fullpage`), so the form and the validator agree.
 */
export { VIEWPORTS } from "../bindings/viewports";
