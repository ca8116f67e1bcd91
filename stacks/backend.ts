import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema/environment";

/** Where Terraform runs for a stack: `cdktf.out/stacks/<stack>`, three levels below the project root. */
const STACK_DIR_TO_ROOT = "../../..";

/**
 * Configures the stack's state backend from the environment config: a local file at the project root
 * (default for dev), S3 with S3-native locking, or HCP Terraform / Terraform Enterprise with one
 * workspace per environment.
 */
export function addBackend(stack: TerraformStack, env: EnvironmentConfig, stackName: string): void {
  const backend = env.backend;
  switch (backend.type) {
    case "local":
      // A relative path keeps machine-specific absolute paths out of the synthesized JSON.
      new LocalBackend(stack, { path: `${STACK_DIR_TO_ROOT}/${backend.path ?? `terraform.${stackName}.tfstate`}` });
      return;
    case "s3": {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix ? `${backend.keyPrefix}/` : ""}${stackName}/terraform.tfstate`,
        region: backend.region ?? env.region,
        encrypt: backend.encrypt,
        kmsKeyId: backend.kmsKeyId,
        dynamodbTable: backend.dynamodbTable,
        assumeRole: backend.roleArn ? { roleArn: backend.roleArn, sessionName: `${stackName}-state` } : undefined,
      });
      // cdktf 0.21 predates `use_lockfile` (Terraform >= 1.10), so it is set as an override.
      if (backend.useLockfile) s3.addOverride("use_lockfile", true);
      return;
    }
    case "cloud":
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace ?? stackName, backend.project),
      });
      return;
  }
}
