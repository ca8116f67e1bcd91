/**
 * Actions that may be granted on `"Resource": "*"`, each with the reason the service requires it.
 * The least-privilege check rejects a `*` resource in any statement whose actions are not all listed here.
 */
export const WILDCARD_RESOURCE_EXEMPTIONS: Readonly<Record<string, string>> = {
  "polly:SynthesizeSpeech":
    "Lex bots speak through Polly; without custom lexicons the request has no resource ARN, so IAM evaluates it against *",
};
