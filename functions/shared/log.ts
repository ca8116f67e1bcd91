import { environmentName } from "./environment";

/**
 * Structured JSON logging for every Lambda handler: one JSON object per line on stdout, which CloudWatch
 * Logs Insights can query by field. Every line has `time`, `level`, `service` (the function), `environment`
 * and `message`. No dependency, so bundles stay small (about 3 KB with metrics.ts, against about 35 KB for
 * Powertools' Logger and Metrics).
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

/**
 * Where errorFields keeps the error itself: under a symbol, which object spread copies but JSON.stringify
 * and Object.keys skip, so only the logger sees it (and writes its stack on error lines).
 */
const THROWN = Symbol("thrown");

/**
 * Turns an unknown thrown value into loggable fields: `errorName`, `errorMessage`, `httpStatus` for AWS
 * errors. An error-level line with these fields also gets `errorStack`; the stack is never among the
 * fields themselves, so messages built from them (what callers show users) cannot carry it.
 */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    const meta = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
    const fields: LogFields = { errorName: error.name, errorMessage: error.message, ...(meta?.httpStatusCode ? { httpStatus: meta.httpStatusCode } : {}) };
    Object.defineProperty(fields, THROWN, { value: error, enumerable: true });
    return fields;
  }
  return { errorName: "NonError", errorMessage: String(error) };
}

/** "Name: message" of a thrown value, for messages that callers show (a Terraform apply's error, a flow's result). */
export function describeError(error: unknown): string {
  const fields = errorFields(error);
  return `${String(fields.errorName)}: ${String(fields.errorMessage)}`;
}

/**
 * The stack of the error errorFields put into `fields`. Read only for error lines: with source maps on,
 * the first stack a process formats costs tens of milliseconds (Node decodes the map then).
 */
function stackOf(fields: LogFields): string | undefined {
  const thrown = (fields as Record<symbol, unknown>)[THROWN];
  if (!(thrown instanceof Error)) return undefined;
  try {
    return typeof thrown.stack === "string" ? thrown.stack : undefined;
  } catch {
    return undefined;
  }
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
      const all: LogFields = { ...base, ...fields };
      const errorStack = level === "error" ? stackOf(all) : undefined;
      line = JSON.stringify({ time: new Date().toISOString(), level, service, environment: environmentName(), message, ...all, ...(errorStack ? { errorStack } : {}) });
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level, service, environment: environmentName(), message, ...base, note: "fields not serializable" });
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
