import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import type { PolicyStatement } from "../iam/service-role";
import { NodejsFunction } from "./nodejs-function";

export interface LambdaCustomResourceProps {
  /** Folder under `functions/` of the handler (it receives the input plus `tf: {action, prev_input}`). */
  readonly source: string;
  readonly description: string;
  /** The input object (may hold tokens); a change re-invokes the handler with action "update". */
  readonly input: Readonly<Record<string, unknown>>;
  /** What the handler may call. */
  readonly statements: readonly PolicyStatement[];
  /** Resources the step needs to exist first. */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** @default 180 (the handlers retry throttled calls for up to about two minutes) */
  readonly timeoutSeconds?: number;
}

/**
 * A step no resource type covers, run by Terraform through `aws_lambda_invocation` with
 * `lifecycle_scope = "CRUD"`: the handler is invoked on create, on every input change (update) and on
 * destroy (delete). It fails loudly, so `terraform apply` stops with the handler's message.
 */
export class LambdaCustomResource extends Construct {
  readonly function: NodejsFunction;
  readonly invocation: LambdaInvocation;
  /** The input object the handler receives (besides `tf`), tokens unresolved. */
  readonly input: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: LambdaCustomResourceProps) {
    super(scope, id);
    this.input = props.input;
    this.function = new NodejsFunction(this, "handler", {
      source: props.source,
      description: props.description,
      timeoutSeconds: props.timeoutSeconds ?? 180,
      memoryMb: 256,
      statements: props.statements,
    });
    this.invocation = new LambdaInvocation(this, "invocation", {
      functionName: this.function.functionName,
      input: Fn.jsonencode(props.input),
      lifecycleScope: "CRUD",
      terraformKey: "tf",
      // The delete call still needs the role's permissions and the log group: destroy them afterwards.
      dependsOn: [this.function.function, this.function.role.policy, this.function.logGroup, ...(props.dependsOn ?? [])],
    });
  }
}
