/**
 * ts-rs types Rust's u64/i64 as `bigint`, but serde_json sends them as JSON numbers, so at run
 * time these fields hold numbers. Read them through `num`; build them (fakes, tests) with `u64`.
 */
export function num(value: bigint | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** A number typed as the generated `bigint` field it stands for (what IPC actually delivers). */
export function u64(value: number): bigint {
  return value as unknown as bigint;
}

/** `JSON.stringify` that also copes with real bigints. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v), indent);
}
