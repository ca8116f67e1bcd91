/** Small checks for untrusted input shared by the handlers. */

/** A lower-case UUID, as AWS returns resource ids (Connect instances and contacts, Q in Connect ids). */
export const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
export const UUID_RE = new RegExp(`^${UUID_PATTERN}$`);
/** A Q in Connect AI agent version id: `<agent uuid>:<version number>`. */
export const AGENT_VERSION_RE = new RegExp(`^${UUID_PATTERN}:[1-9][0-9]{0,9}$`);

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
