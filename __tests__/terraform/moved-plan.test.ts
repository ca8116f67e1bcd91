import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseEnvironment } from "../../config/load";
import { type FakeAwsPlanEndpoint, startFakeAwsPlanEndpoint } from "../support/fake-aws-plan-endpoint";
import { planCounts } from "../support/plan-suite";
import { defaultEnvironment, synthEnvironment, type TerraformJson } from "../support/synth";
import { expectSuccess, prepareWorkdir, terraform, type TerraformResult, writeCliConfig } from "../support/terraform-harness";

/**
 * A stacks/moves.ts entry planned by real Terraform: the state holds the turn table at the address an
 * older layout gave it, the stack has it at its current address plus the `moved` block the entry writes.
 * The plan must move the table in the state, with no destroy and no create. The same state without the
 * move destroys the old table and creates an empty one, even in a protected environment: prevent_destroy
 * lives in the resource block, and the old address has none.
 *
 * One resource, planned with -refresh=false (nothing to read from AWS) and targeted at the two addresses
 * (the rest of the stack is not needed); the provider only calls STS on the loopback endpoint.
 */
const OLD_ADDRESS = "aws_dynamodb_table.bridge_turn-table_table_0A1B2C3D";
const NEW_ADDRESS = "aws_dynamodb_table.bedrock-bridge_turns_table_510D280A";

/** A Terraform v4 state with the turn table at OLD_ADDRESS, its attributes as the stack configures them. */
function stateWithTableAt(address: string, table: TerraformJson, region: string, defaultTags: Record<string, string>): string {
  const [type, name] = address.split(".");
  const arn = `arn:aws:dynamodb:${region}:123456789012:table/${table.name}`;
  const attributes = {
    id: table.name,
    arn,
    name: table.name,
    billing_mode: table.billing_mode,
    hash_key: table.hash_key,
    range_key: table.range_key,
    attribute: table.attribute,
    deletion_protection_enabled: table.deletion_protection_enabled,
    point_in_time_recovery: [{ enabled: table.point_in_time_recovery.enabled, recovery_period_in_days: 0 }],
    server_side_encryption: [{ enabled: true, kms_key_arn: "" }],
    ttl: [{ attribute_name: table.ttl.attribute_name, enabled: table.ttl.enabled }],
    stream_enabled: false,
    stream_arn: "",
    stream_label: "",
    stream_view_type: "",
    table_class: "STANDARD",
    read_capacity: 0,
    write_capacity: 0,
    global_secondary_index: [],
    local_secondary_index: [],
    replica: [],
    tags: {},
    tags_all: defaultTags,
    timeouts: null,
  };
  return JSON.stringify(
    {
      version: 4,
      terraform_version: "1.6.0",
      serial: 1,
      lineage: "2b7f9c2e-4b8e-4c55-9d7a-3f0e6f1f0a11",
      outputs: {},
      resources: [
        {
          mode: "managed",
          type,
          name,
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [{ schema_version: 1, attributes, sensitive_attributes: [] }],
        },
      ],
      check_results: null,
    },
    null,
    2,
  );
}

describe("terraform plan of a stacks/moves.ts entry: the turn table moves, nothing is destroyed", () => {
  const env = parseEnvironment({ ...defaultEnvironment("dev"), protected: true }, "test (dev, protected)");
  let endpoint: FakeAwsPlanEndpoint;
  let workdir: string;
  let cliConfig: string | undefined;
  let synthesized: TerraformJson;
  const targets = [`-target=${NEW_ADDRESS}`, `-target=${OLD_ADDRESS}`];
  const plan = (out: string) => terraform(["plan", "-input=false", "-lock=false", "-refresh=false", ...targets, `-out=${out}`], workdir, cliConfig);

  beforeAll(async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cc-moved-plan-"));
    cliConfig = writeCliConfig(scratch);
    const stack = synthEnvironment(env, {
      outdir: path.join(scratch, "out"),
      moves: [{ from: OLD_ADDRESS, to: "bedrock-bridge/turns/table", reason: "the turn table's construct was renamed" }],
    });
    synthesized = stack.json;
    endpoint = await startFakeAwsPlanEndpoint({ region: env.region });
    workdir = prepareWorkdir(stack.stackDir, { endpoint: endpoint.url, region: env.region });
    const table = synthesized.resource.aws_dynamodb_table[NEW_ADDRESS.split(".")[1]];
    fs.writeFileSync(path.join(workdir, "terraform.tfstate"), stateWithTableAt(OLD_ADDRESS, table, env.region, synthesized.provider.aws[0].default_tags[0].tags));
    expectSuccess("init", await terraform(["init", "-input=false"], workdir, cliConfig));
  }, 600_000);

  afterAll(async () => {
    await endpoint?.close();
  });

  test("the stack carries the moved block and prevent_destroy on the table", () => {
    expect(synthesized.moved).toEqual([{ from: OLD_ADDRESS, to: NEW_ADDRESS }]);
    expect(synthesized.resource.aws_dynamodb_table[NEW_ADDRESS.split(".")[1]].lifecycle).toEqual({ prevent_destroy: true });
  });

  test("with the moved block: the table is moved (previous_address), not destroyed and created", async () => {
    const result: TerraformResult = await plan("moved.tfplan");
    if (result.code !== 0) throw new Error(`plan failed:\n${result.stderr}`);
    expect(result.stdout).toContain(`# ${OLD_ADDRESS} has moved to ${NEW_ADDRESS}`);
    const counts = planCounts(result.stdout);
    expect(counts.add).toBe(0);
    expect(counts.destroy).toBe(0);
    const shown = JSON.parse(expectSuccess("show", await terraform(["show", "-json", "moved.tfplan"], workdir, cliConfig)).stdout);
    const changes = shown.resource_changes as TerraformJson[];
    const table = changes.find((c) => c.address === NEW_ADDRESS);
    expect(table?.previous_address).toBe(OLD_ADDRESS);
    expect(table?.change.actions).not.toContain("create");
    expect(table?.change.actions).not.toContain("delete");
    expect(changes.some((c) => c.address === OLD_ADDRESS)).toBe(false);
    expect(table?.change.actions).toEqual(["no-op"]);
    expect(changes.filter((c) => c.change.actions.includes("delete") || c.change.actions.includes("create"))).toEqual([]);
    expect(endpoint.unknown).toEqual([]);
  }, 300_000);

  test("terraform destroy (plan -destroy) of the protected environment is refused for the table", async () => {
    const refused = await terraform(["plan", "-destroy", "-input=false", "-lock=false", "-refresh=false", ...targets], workdir, cliConfig);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Instance cannot be destroyed/);
    expect(refused.stderr).toContain(NEW_ADDRESS);
  }, 300_000);

  test("without the moved block the table is destroyed and an empty one created: prevent_destroy cannot stop it", async () => {
    // prevent_destroy sits in the resource block; the state's old address has no block any more, so
    // Terraform plans its destroy unguarded. Only the moved block (and the address check) keep the table.
    const withoutMove = { ...synthesized };
    delete withoutMove.moved;
    fs.writeFileSync(path.join(workdir, "cdk.tf.json"), JSON.stringify(withoutMove, null, 2));
    const replaced = await plan("unmoved.tfplan");
    if (replaced.code !== 0) throw new Error(`plan failed:\n${replaced.stderr}`);
    expect(planCounts(replaced.stdout)).toEqual({ add: 1, change: 0, destroy: 1 });
    expect(replaced.stdout).toContain(`# ${OLD_ADDRESS} will be destroyed`);
    expect(replaced.stdout).toContain(`# ${NEW_ADDRESS} will be created`);
  }, 300_000);
});
