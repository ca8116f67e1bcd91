import { Construct } from "constructs";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KitContext } from "../context";

/** One IAM statement: explicit actions on explicit resource ARNs, optionally with conditions. */
export interface PolicyStatement {
  /** Statement id, letters and digits only. */
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

export interface ServiceRoleProps {
  /** Physical role name. */
  readonly roleName: string;
  readonly description: string;
  /** The service principal that assumes the role, e.g. `lambda.amazonaws.com`. */
  readonly servicePrincipal: string;
  /**
   * Restrict the trust policy to requests on behalf of this account (`aws:SourceAccount`), against the
   * confused-deputy problem. Lambda execution roles do not get this condition.
   * @default false
   */
  readonly sourceAccountCondition?: boolean;
  /** Permissions of the role. More can be added with `addStatements` before synth. */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * An IAM role for one AWS service with one inline policy built from typed statements, so the policy
 * Aspect can read every action and resource at synth time.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly roleName: string;
  /** The inline policy (resources that must outlive a step can depend on it). */
  readonly policy: IamRolePolicy;
  private readonly statements: PolicyStatement[] = [];
  private readonly document: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const context = KitContext.of(this);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [props.servicePrincipal] }],
          condition: props.sourceAccountCondition
            ? [{ test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] }]
            : undefined,
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.document = new DataAwsIamPolicyDocument(this, "permissions", { statement: [] });
    this.policy = new IamRolePolicy(this, "policy", { name: "least-privilege", role: this.role.id, policy: this.document.json });
    this.addStatements(...(props.statements ?? []));
  }

  /** Adds statements to the role's policy. */
  addStatements(...statements: PolicyStatement[]): void {
    for (const s of statements) {
      if (!/^[A-Za-z0-9]+$/.test(s.sid)) throw new Error(`statement sid must be letters and digits, but "${s.sid}" was given`);
      if (this.statements.some((existing) => existing.sid === s.sid)) throw new Error(`statement sid "${s.sid}" is used twice in ${this.node.path}`);
      if (s.actions.length === 0 || s.resources.length === 0) throw new Error(`statement "${s.sid}" needs at least one action and one resource`);
    }
    this.statements.push(...statements);
    this.document.putStatement(this.statements.map(toDocumentStatement));
  }

  /** The statements of the role's policy (for tests and reviews). */
  get policyStatements(): readonly PolicyStatement[] {
    return this.statements;
  }
}

function toDocumentStatement(s: PolicyStatement): DataAwsIamPolicyDocumentStatement {
  return {
    sid: s.sid,
    effect: "Allow",
    actions: [...s.actions],
    resources: [...s.resources],
    condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
  };
}
