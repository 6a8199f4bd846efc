import type { ErrorCode } from "../bindings/ErrorCode";
import type { ErrorPayload } from "../bindings/ErrorPayload";

/** Every rejected backend call becomes one of these. The UI branches on `code`, never on `message`. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

/**
 * Codes are taken as the core sends them: the UI branches on the ones it knows and shows any
 * other as is, so a code added in Rust needs no UI release to be reported faithfully.
 */
function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && /^[a-z][a-z0-9-]*$/.test(value);
}

/** Normalize whatever a call rejected with (an `ErrorPayload`, a string, an `Error`) into an `AppError`. */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw;
  if (typeof raw === "object" && raw !== null && "code" in raw) {
    const { code, message } = raw as { code: unknown; message?: unknown };
    const text = typeof message === "string" ? message : "No message given.";
    if (isErrorCode(code)) return new AppError(code, text);
    return new AppError("internal", `${JSON.stringify(code)}: ${text}`);
  }
  if (typeof raw === "string") return new AppError("internal", raw);
  if (raw instanceof Error) return new AppError("internal", raw.message);
  return new AppError("internal", "An unexpected error occurred.");
}

export function hasCode(err: unknown, code: ErrorCode): boolean {
  return err instanceof AppError && err.code === code;
}
