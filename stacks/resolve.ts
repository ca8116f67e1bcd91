import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Resolves tokens in `value` to the strings they render as in the synthesized JSON (e.g. `${aws_x.y.arn}`). */
export function resolveInStack<T>(scope: IConstruct, value: T): T {
  return Tokenization.resolve(value, { scope: TerraformStack.of(scope), resolver: RESOLVER });
}
