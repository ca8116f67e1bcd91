/**
 * Structured JSON logging for the Lambda handlers: one JSON object per line on stdout, which CloudWatch
 * Logs Insights can query by field. No dependency, so bundles stay small.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (for example the contact id and turn id). */
  child(fields: LogFields): Logger;
}

/** Where log lines go; tests swap it to capture lines. */
export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** Replaces the log sink and returns the previous one (for tests). */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

/** Turns an unknown thrown value into loggable fields without leaking stack traces into user messages. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    const meta = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
    return { errorName: error.name, errorMessage: error.message, ...(meta?.httpStatusCode ? { httpStatus: meta.httpStatusCode } : {}) };
  }
  return { errorName: "NonError", errorMessage: String(error) };
}

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? "info").toLowerCase() as LogLevel;
  return ORDER[level] ?? ORDER.info;
}

export function createLogger(service: string, base: LogFields = {}): Logger {
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < threshold()) return;
    let line: string;
    try {
      line = JSON.stringify({ time: new Date().toISOString(), level, service, message, ...base, ...fields });
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level, service, message, ...base, note: "fields not serializable" });
    }
    sink(line);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(service, { ...base, ...fields }),
  };
}
