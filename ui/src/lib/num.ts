/**
 * Millisecond fields are plain numbers (the Rust side marks them `#[ts(type = "number")]`);
 * `num` also accepts a bigint or a missing value, for data from older history files.
 */
export function num(value: bigint | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** `JSON.stringify` that also copes with real bigints. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v), indent);
}
