/**
 * Renders a value as a Terraform string template holding JSON: tokens stay `${...}` interpolations that
 * Terraform fills in (IDs and ARNs, which need no JSON escaping); literal `${` and `%{` in text (prompts,
 * flow messages) become `$${` and `%%{`, Terraform's escapes, so they stay text. Rendering through HCL
 * (`jsonencode({...})`) instead breaks on multi-line text.
 */
export function terraformJsonTemplate(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\$\{(?!TfToken\[)/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
}
