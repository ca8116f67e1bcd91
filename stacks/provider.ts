import type { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { KitContext } from "./context";

/**
 * The AWS provider of a stack: region from config, `default_tags` on every resource that supports tags,
 * and the optional deploy role and account allow-list (a plan against any other account fails early).
 */
export function addAwsProvider(stack: TerraformStack, context: KitContext): AwsProvider {
  const { env } = context;
  return new AwsProvider(stack, "aws", {
    region: env.region,
    defaultTags: [{ tags: { ...context.tags } }],
    allowedAccountIds: env.allowedAccountIds ? [...env.allowedAccountIds] : undefined,
    assumeRole: env.assumeRoleArn ? [{ roleArn: env.assumeRoleArn, sessionName: `contact-center-${env.name}` }] : undefined,
  });
}
