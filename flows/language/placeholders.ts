/**
 * Placeholders stand for values filled in later: cdktf tokens (`${TfToken[TOKEN.1]}`), CloudFormation
 * `${Var}` substitutions, `{{Var}}` templates and `%Var%` markers. The validator and the builder treat a
 * string that contains one as opaque: its final text is unknown, so no format check can be fair to it.
 */
const PLACEHOLDER = /\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Za-z_][A-Za-z0-9_:.-]*%/;

/** True when the text contains a placeholder anywhere. */
export function hasPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/** Every placeholder in the text, in order. */
export function placeholdersIn(text: string): string[] {
  return text.match(new RegExp(PLACEHOLDER.source, "g")) ?? [];
}
