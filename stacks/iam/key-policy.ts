import type { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** One statement of a KMS key policy: who may do what with the key, optionally under conditions. */
export interface KeyPolicyStatement {
  /** Statement id, letters and digits only. */
  readonly sid: string;
  readonly principal: { readonly type: "AWS" | "Service"; readonly identifiers: readonly string[] };
  readonly actions: readonly string[];
  readonly conditions?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/**
 * The policy document of a KMS key. In a key policy `"Resource": "*"` means the key itself, so the
 * least-privilege check (stacks/policy/least-privilege-check.ts) accepts it here, and instead requires a
 * principal in every statement and an `aws:SourceAccount` condition on every service principal
 * (against the confused deputy).
 */
export class KeyPolicyDocument extends DataAwsIamPolicyDocument {
  readonly statements: readonly KeyPolicyStatement[];

  constructor(scope: Construct, id: string, statements: readonly KeyPolicyStatement[]) {
    for (const s of statements) {
      if (!/^[A-Za-z0-9]+$/.test(s.sid)) throw new Error(`statement sid must be letters and digits, but "${s.sid}" was given`);
    }
    super(scope, id, {
      statement: statements.map((s) => ({
        sid: s.sid,
        effect: "Allow",
        principals: [{ type: s.principal.type, identifiers: [...s.principal.identifiers] }],
        actions: [...s.actions],
        resources: ["*"],
        condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
      })),
    });
    this.statements = statements;
  }
}
