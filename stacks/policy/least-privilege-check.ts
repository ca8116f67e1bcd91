import { Annotations, type IAspect, Token } from "cdktf";
import type { IConstruct } from "constructs";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { KeyPolicyDocument } from "../iam/key-policy";
import { resolveInStack } from "../resolve";
import { WILDCARD_RESOURCE_EXEMPTIONS } from "./wildcard-exemptions";

/**
 * Rejects broad IAM grants at synth time:
 * - no `*` or `service:*` action, no NotAction / NotResource;
 * - no `*` resource unless every action of the statement is in WILDCARD_RESOURCE_EXEMPTIONS;
 * - policies must come from a policy document (so they can be read here), never raw JSON or managed
 *   policy attachments;
 * - Lambda permissions must name a principal service and a source ARN;
 * - KMS key policies come from a KeyPolicyDocument: `*` resources there mean the key itself, but every
 *   statement names its principal and a service principal is held to this account (`aws:SourceAccount`).
 */
export class LeastPrivilegeCheck implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof KeyPolicyDocument) this.checkKeyPolicy(node);
    else if (node instanceof DataAwsIamPolicyDocument) this.checkDocument(node);
    else if (node instanceof KmsKey) this.checkKeyPolicySource(node);
    else if (node instanceof IamRolePolicy || node instanceof IamPolicy) this.checkPolicySource(node, node.policyInput);
    else if (node instanceof IamRolePolicyAttachment) {
      error(node, "ManagedPolicy", "managed policy attachments are not allowed; grant explicit actions on explicit ARNs with a ServiceRole");
    } else if (node instanceof LambdaPermission) this.checkLambdaPermission(node);
  }

  private checkDocument(doc: DataAwsIamPolicyDocument): void {
    const statements = doc.statementInput;
    if (statements === undefined) return;
    if (!Array.isArray(statements)) {
      error(doc, "Unreadable", "policy document statements must be a plain list so they can be checked");
      return;
    }
    statements.forEach((s: DataAwsIamPolicyDocumentStatement, index) => {
      const label = `statement ${s.sid ?? index}`;
      if (s.effect === "Deny") return;
      if (s.notActions?.length) error(doc, "NotAction", `${label} uses NotAction, which grants everything else`);
      if (s.notResources?.length) error(doc, "NotResource", `${label} uses NotResource, which grants everything else`);
      for (const action of s.actions ?? []) {
        if (!Token.isUnresolved(action) && (action === "*" || action.endsWith(":*"))) {
          error(doc, "WildcardAction", `${label} grants "${action}"; list the actions the code calls`);
        }
      }
      const wildcardResource = (s.resources ?? []).some((r) => r === "*");
      if (wildcardResource) {
        const unexempted = (s.actions ?? []).filter((a) => !(a in WILDCARD_RESOURCE_EXEMPTIONS));
        if (unexempted.length) {
          error(doc, "WildcardResource", `${label} grants ${unexempted.join(", ")} on "*"; scope them to ARNs (or record why the service requires * in wildcard-exemptions.ts)`);
        }
      }
    });
  }

  private checkKeyPolicy(doc: KeyPolicyDocument): void {
    for (const s of doc.statements) {
      const label = `key policy statement ${s.sid}`;
      for (const action of s.actions) {
        if (!Token.isUnresolved(action) && (action === "*" || action.endsWith(":*"))) {
          error(doc, "WildcardAction", `${label} grants "${action}"; list the actions (or action groups such as kms:Describe*)`);
        }
      }
      if (s.principal.identifiers.length === 0 || s.principal.identifiers.some((p) => p === "*")) {
        error(doc, "OpenPrincipal", `${label} must name its principals, never "*"`);
      }
      const sourceAccount = (s.conditions ?? []).some((c) => c.variable === "aws:SourceAccount" && c.values.length > 0);
      if (s.principal.type === "Service" && !sourceAccount) {
        error(doc, "ConfusedDeputy", `${label} admits ${s.principal.identifiers.join(", ")} without an aws:SourceAccount condition`);
      }
    }
  }

  private checkKeyPolicySource(node: KmsKey): void {
    const resolved = String(resolveInStack(node, node.policyInput) ?? "");
    if (!/^\$\{data\.aws_iam_policy_document\.[\w-]+\.json\}$/.test(resolved)) {
      error(node, "UncheckedPolicy", "a KMS key's policy must be the json of a KeyPolicyDocument so its statements can be checked");
    }
  }

  private checkPolicySource(node: IamRolePolicy | IamPolicy, policy: string | undefined): void {
    const resolved = String(resolveInStack(node, policy) ?? "");
    if (!/^\$\{data\.aws_iam_policy_document\.[\w-]+\.json\}$/.test(resolved)) {
      error(node, "UncheckedPolicy", "the policy must be the json of a DataAwsIamPolicyDocument (use ServiceRole) so its statements can be checked");
    }
  }

  private checkLambdaPermission(node: LambdaPermission): void {
    const principal = node.principalInput;
    if (!principal || principal === "*" || !principal.endsWith(".amazonaws.com")) {
      error(node, "OpenInvoke", `lambda permission principal must be an AWS service, got "${principal}"`);
    }
    if (!node.sourceArnInput) error(node, "OpenInvoke", "lambda permission must restrict the caller with a source ARN");
  }
}

function error(node: IConstruct, rule: string, message: string): void {
  Annotations.of(node).addError(`[LeastPrivilege.${rule}] ${message}`);
}
