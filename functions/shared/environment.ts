/**
 * Environment variables the stack sets on the bridge functions. Read on use, not at import, so a missing
 * variable becomes a handled, logged configuration error instead of a crash at cold start.
 */

/** A deployment problem (missing variable, unreadable settings): our fault, never the customer's. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

/** DynamoDB table of turns (all three functions). */
export function tableName(): string {
  return required("TABLE_NAME");
}

/** Function the fulfillment invokes asynchronously for chat turns (lex-fulfillment only). */
export function workerFunctionName(): string {
  return required("WORKER_FUNCTION_NAME");
}

/** Environment name used as a metric dimension; "unknown" keeps metrics flowing when it is missing. */
export function environmentName(): string {
  return process.env.ENVIRONMENT_NAME || "unknown";
}
