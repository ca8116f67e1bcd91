import { z } from "zod";
import { AwsRegion, IamRoleArn, KmsKeyArn } from "./common";

/** Local state file, kept at the project root so a fresh synth never loses it. */
export const LocalBackendConfig = z.strictObject({
  type: z.literal("local"),
  /** State file path relative to the project root. Default: `terraform.<stack>.tfstate`. */
  path: z.string().min(1).optional(),
});

/** S3 state with S3-native locking (`use_lockfile`) and an optional DynamoDB lock table. */
export const S3BackendConfig = z.strictObject({
  type: z.literal("s3"),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name").describe("S3 bucket holding the state"),
  /** Key prefix; the state key is `<keyPrefix>/<stack>/terraform.tfstate`. */
  keyPrefix: z.string().regex(/^[\w.\/-]*$/).default("contact-center"),
  /** Bucket region. Default: the environment's region. */
  region: AwsRegion.optional(),
  useLockfile: z.boolean().default(true).describe("S3-native state locking (`use_lockfile`, Terraform >= 1.10)"),
  /** Legacy DynamoDB lock table, for teams that have not moved to `use_lockfile` yet. */
  dynamodbTable: z.string().regex(/^[\w.-]{3,255}$/).optional(),
  encrypt: z.boolean().default(true).describe("server-side encryption of the state object"),
  kmsKeyId: KmsKeyArn.optional().describe("customer managed KMS key for the state object; default: the bucket's encryption"),
  /** Role assumed to read and write state. */
  roleArn: IamRoleArn.optional(),
});

/** HCP Terraform / Terraform Enterprise with one workspace per environment. */
export const CloudBackendConfig = z.strictObject({
  type: z.literal("cloud"),
  organization: z.string().min(1).describe("HCP Terraform / Terraform Enterprise organization"),
  hostname: z.string().min(1).default("app.terraform.io").describe("HCP Terraform or Terraform Enterprise host"),
  /** Workspace name. Default: the stack name, `contact-center-<env>`. */
  workspace: z.string().regex(/^[\w-]{1,90}$/).optional(),
  project: z.string().min(1).optional().describe("project the workspace belongs to; default: the organization's default project"),
});

export const BackendConfig = z.discriminatedUnion("type", [LocalBackendConfig, S3BackendConfig, CloudBackendConfig]);
export type BackendConfig = z.output<typeof BackendConfig>;
