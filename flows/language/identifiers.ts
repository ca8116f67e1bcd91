/** Identifier rules of the Flow language (service documentation of the action envelope). */

export const MAX_IDENTIFIER_LENGTH = 50;

/** Characters an identifier may not contain. */
export const FORBIDDEN_IDENTIFIER_CHARACTERS = ["%", ":", "(", "\\", "/", ")", "=", "$", ",", ";", "[", "]", "{", "}"] as const;

/** Names an identifier may not be (they collide with JavaScript object members in the service). */
export const RESERVED_IDENTIFIERS = [
  "__proto__",
  "constructor",
  "__defineGetter__",
  "__defineSetter__",
  "toString",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "valueOf",
] as const;

/**
 * Why an identifier is invalid, or undefined when it is valid. The text says what was given and what
 * is allowed, so callers can put it straight into an error.
 */
export function identifierProblem(identifier: unknown): string | undefined {
  if (typeof identifier !== "string") return `identifier ${JSON.stringify(identifier) ?? String(identifier)} is not a string`;
  if (identifier.length === 0) return "identifier is empty; give a short readable name such as \"greet-customer\"";
  // The service counts characters, not UTF-16 units; spread iterates code points.
  const length = [...identifier].length;
  if (length > MAX_IDENTIFIER_LENGTH) {
    return `identifier "${identifier}" has ${length} characters; at most ${MAX_IDENTIFIER_LENGTH} are allowed`;
  }
  const forbidden = FORBIDDEN_IDENTIFIER_CHARACTERS.filter((c) => identifier.includes(c));
  if (forbidden.length > 0) {
    return `identifier "${identifier}" contains ${forbidden.map((c) => `"${c}"`).join(", ")}; none of ${FORBIDDEN_IDENTIFIER_CHARACTERS.join(" ")} is allowed`;
  }
  if ((RESERVED_IDENTIFIERS as readonly string[]).includes(identifier)) {
    return `identifier "${identifier}" is a reserved name; none of ${RESERVED_IDENTIFIERS.join(", ")} may be used`;
  }
  return undefined;
}
