import { parseEnvironment } from "../../config/load";
import { defaultEnvironment, synthEnvironment } from "../support/synth";

function envWith(name: string, changes: Record<string, unknown>) {
  const base = defaultEnvironment(name);
  return parseEnvironment({ ...base, ...changes }, "test");
}

describe("state backends", () => {
  test("local (dev default): state file at the project root, by a relative path", () => {
    const { json } = synthEnvironment(defaultEnvironment("dev"));
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.contact-center-dev.tfstate" } });
  });

  test("S3: per-environment key, region, S3-native lock file, encryption, optional DynamoDB lock table and role", () => {
    const env = envWith("stg", {
      backend: { type: "s3", bucket: "acme-tfstate", keyPrefix: "cc", region: "us-east-1", roleArn: "arn:aws:iam::111122223333:role/tfstate" },
    });
    const { json } = synthEnvironment(env);
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "acme-tfstate",
        key: "cc/contact-center-stg/terraform.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: "arn:aws:iam::111122223333:role/tfstate", session_name: "contact-center-stg-state" },
      },
    });
    const stg = synthEnvironment(defaultEnvironment("stg")).json.terraform.backend.s3;
    expect(stg).toMatchObject({ dynamodb_table: "example-contact-center-tflock", region: "ap-northeast-1", use_lockfile: true });
  });

  test("HCP Terraform: a cloud block with one named workspace per environment", () => {
    const { json } = synthEnvironment(defaultEnvironment("prod"));
    expect(json.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "example-org",
      workspaces: { name: "contact-center-prod", project: "contact-center" },
    });
    expect(json.terraform.backend).toBeUndefined();
  });
});

describe("AWS provider", () => {
  test("region, default tags (kit tags win over config tags), no account pinning when not configured", () => {
    const env = envWith("dev", { tags: { team: "cx", environment: "spoofed" } });
    const provider = synthEnvironment(env).json.provider.aws[0];
    expect(provider.region).toBe("ap-northeast-1");
    expect(provider.default_tags).toEqual([
      { tags: { team: "cx", environment: "dev", project: "contact-center-kit", "managed-by": "cdktf" } },
    ]);
    expect(provider.assume_role).toBeUndefined();
    expect(provider.allowed_account_ids).toBeUndefined();
  });

  test("assume role and allowed account ids from config", () => {
    const provider = synthEnvironment(defaultEnvironment("prod")).json.provider.aws[0];
    expect(provider.allowed_account_ids).toEqual(["111122223333"]);
    expect(provider.assume_role).toEqual([{ role_arn: "arn:aws:iam::111122223333:role/contact-center-deploy", session_name: "contact-center-prod" }]);
  });
});

describe("Connect instance", () => {
  test("create mode: alias, identity management, calls, contact flow logs always on, Contact Lens", () => {
    const { json, stack } = synthEnvironment(defaultEnvironment("dev"));
    const instances = Object.values(json.resource.aws_connect_instance);
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({
      instance_alias: "cc-kit-dev",
      identity_management_type: "CONNECT_MANAGED",
      inbound_calls_enabled: true,
      outbound_calls_enabled: true,
      contact_flow_logs_enabled: true,
      contact_lens_enabled: true,
    });
    expect(stack.instance.managed).toBe(true);
    expect(json.output["connect-instance-arn"].value).toMatch(/^\$\{aws_connect_instance\.connect-instance_resource_\w+\.arn\}$/);
  });

  test("existing mode: a data source by instance id, nothing created", () => {
    const { json, stack } = synthEnvironment(defaultEnvironment("prod"));
    expect(json.resource?.aws_connect_instance).toBeUndefined();
    expect(Object.values(json.data.aws_connect_instance)).toEqual([
      expect.objectContaining({ instance_id: "7c5b3f5e-1f4e-4c1e-9a7e-2f1d0c9b8a76" }),
    ]);
    expect(stack.instance.managed).toBe(false);
    expect(json.output["connect-instance-arn"].value).toMatch(/^\$\{data\.aws_connect_instance\.connect-instance_existing_\w+\.arn\}$/);
  });
});
