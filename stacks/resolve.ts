import { TerraformStack } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import type { IConstruct } from "constructs";

/** Resolves tokens in `value` to the strings they render as in the synthesized JSON (e.g. `${aws_x.y.arn}`). */
export function resolveInStack<T>(scope: IConstruct, value: T): T {
  return resolve(TerraformStack.of(scope), value);
}
