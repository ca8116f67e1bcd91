import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import type { EnvironmentConfig } from "../config/schema/environment";

/** Tag keys every resource carries. */
export const KIT_TAG_KEYS = ["project", "environment", "managed-by"] as const;

/**
 * What every construct of a contact-center stack needs to know: the environment, naming, tags and the
 * pieces of ARNs (partition, region, account). One per stack, created by `KitContext.attach`.
 */
export class KitContext {
  private static readonly byStack = new WeakMap<TerraformStack, KitContext>();

  /** Attaches a context to `stack`; the account id is read at plan time from the caller identity. */
  static attach(stack: TerraformStack, env: EnvironmentConfig): KitContext {
    const identity = new DataAwsCallerIdentity(stack, "caller-identity");
    const context = new KitContext(env, identity.accountId);
    KitContext.byStack.set(stack, context);
    return context;
  }

  /** The context of the stack `scope` belongs to. */
  static of(scope: IConstruct): KitContext {
    const stack = TerraformStack.of(scope);
    const context = KitContext.byStack.get(stack);
    if (!context) throw new Error(`stack ${stack.node.id} has no KitContext; call KitContext.attach(stack, env) first`);
    return context;
  }

  /** `aws`, `aws-cn` or `aws-us-gov`, from the region. */
  readonly partition: string;
  readonly region: string;
  /** Tags that never change for the life of the environment (safe on types where tags are create-only). */
  readonly stableTags: Readonly<Record<string, string>>;
  /** Stable tags plus the environment's own tags (used where a tag change updates in place). */
  readonly tags: Readonly<Record<string, string>>;

  private constructor(
    readonly env: EnvironmentConfig,
    /** The account id (a token resolved at plan time). */
    readonly accountId: string,
  ) {
    this.region = env.region;
    this.partition = env.region.startsWith("cn-") ? "aws-cn" : env.region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    this.stableTags = { project: "contact-center-kit", environment: env.name, "managed-by": "cdktf" };
    this.tags = { ...env.tags, ...this.stableTags };
  }

  /** Physical name `<prefix>-<env>-<resource>`, the same in every account so flows and dashboards match. */
  name(resource: string): string {
    return `${this.env.namePrefix}-${this.env.name}-${resource}`;
  }

  /** An ARN in this stack's partition, region and account (pass `region: ""` / `account: ""` for global ARNs). */
  arn(service: string, resource: string, options: { readonly region?: string; readonly account?: string } = {}): string {
    return `arn:${this.partition}:${service}:${options.region ?? this.region}:${options.account ?? this.accountId}:${resource}`;
  }
}
