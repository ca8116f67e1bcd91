import * as fs from "node:fs";
import * as path from "node:path";
import {
  actionOf,
  type PlanJson,
  renderDriftMarkdown,
  renderDriftText,
  renderPlanMarkdown,
  renderPlanText,
  summarizeDrift,
  summarizePlan,
} from "../../tools/plan-summary";

const FIXTURES = path.join(__dirname, "..", "fixtures", "terraform-plans");
const fixture = (name: string): PlanJson => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));

describe("plan summary (terraform show -json)", () => {
  const summary = summarizePlan(fixture("stateful-losses.json"));

  test("counts as Terraform does: a replacement adds one and destroys one; no-op and data reads are ignored", () => {
    expect(summary.counts).toEqual({ add: 4, change: 2, destroy: 4, replace: 3, import: 0, forget: 0 });
    expect(summary.changes.map((c) => c.address)).not.toContain("data.aws_caller_identity.current");
    expect(summary.changes.map((c) => c.address)).not.toContain("aws_sqs_queue.bedrock-bridge_failures_queue_0A1B2C3D");
  });

  test("calls out the replaced DynamoDB table, the destroyed Connect instance and the replaced Lex bot, with why", () => {
    expect(summary.statefulLosses).toEqual([
      {
        address: "aws_dynamodb_table.bedrock-bridge_turn-table_table_3A1B2C3D",
        type: "aws_dynamodb_table",
        action: "replace",
        stateful: "DynamoDB table",
        replaceBecause: ["name"],
        reason: "replace_because_cannot_update",
      },
      {
        address: "aws_connect_instance.connect-instance_instance_5E6F7A8B",
        type: "aws_connect_instance",
        action: "delete",
        stateful: "Connect instance",
        replaceBecause: [],
        reason: "delete_because_no_resource_config",
      },
      expect.objectContaining({ address: "aws_cloudcontrolapi_resource.bedrock-bridge-bot_bot_resource_9C0D1E2F", action: "replace", stateful: "Lex bot" }),
    ]);
  });

  test("a replaced Cloud Control resource of a stateless type (a prompt version) and an in-place update of a log group are not losses", () => {
    const promptVersion = summary.changes.find((c) => c.address.includes("prompt-version"));
    expect(promptVersion).toMatchObject({ action: "replace", stateful: undefined });
    const logGroup = summary.changes.find((c) => c.type === "aws_cloudwatch_log_group");
    expect(logGroup).toMatchObject({ action: "update", stateful: "CloudWatch log group" });
    expect(summary.statefulLosses).not.toContain(logGroup);
  });

  test("changed outputs are listed, unchanged ones are not", () => {
    expect(summary.outputChanges).toEqual(["connect-instance-id", "bridge-table-name"]);
  });

  test("text: Terraform's headline, a warning per stateful loss, then the other changes", () => {
    const text = renderPlanText(summary, "contact-center-dev");
    expect(text.split("\n")[0]).toBe("contact-center-dev: 4 to add, 2 to change, 4 to destroy (3 replacements)");
    expect(text).toContain("WARNING: 3 stateful resource(s) would be replaced or destroyed");
    expect(text).toContain(
      "  ! aws_dynamodb_table.bedrock-bridge_turn-table_table_3A1B2C3D (DynamoDB table): replace (destroy, then create), because name changed",
    );
    expect(text).toContain("  ! aws_connect_instance.connect-instance_instance_5E6F7A8B (Connect instance): destroy, delete because no resource config");
    expect(text).toContain("  +   aws_iam_role.bedrock-bridge_poller_role_6D7E8F9A");
    expect(text).toContain("  ~   aws_cloudwatch_log_group.bedrock-bridge_worker_logs_2F3A4B5C (CloudWatch log group)");
    expect(text).toContain("Outputs changing: connect-instance-id, bridge-table-name");
  });

  test("markdown: a caution block for the losses and a collapsed table of every change", () => {
    const md = renderPlanMarkdown(summary, "Terraform plan: contact-center-dev");
    expect(md).toMatch(/^### Terraform plan: contact-center-dev\n\n\*\*4 to add, 2 to change, 4 to destroy \(3 replacements\)\*\*\n/);
    expect(md).toContain("> [!CAUTION]");
    expect(md).toContain("> - `aws_connect_instance.connect-instance_instance_5E6F7A8B` (Connect instance): **destroy**");
    expect(md).toContain("> - `aws_dynamodb_table.bedrock-bridge_turn-table_table_3A1B2C3D` (DynamoDB table): **replace (destroy, then create)**, because name changed");
    expect(md).toContain("<details><summary>Resource changes (7)</summary>");
    expect(md).toContain("| create | `aws_iam_role.bedrock-bridge_poller_role_6D7E8F9A` |  |");
  });

  test("a plan without changes says so, without a caution block", () => {
    const none = summarizePlan(fixture("no-changes.json"));
    expect(none.counts).toEqual({ add: 0, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 });
    expect(renderPlanText(none, "contact-center-prod")).toBe("contact-center-prod: 0 to add, 0 to change, 0 to destroy\nNo changes.");
    const md = renderPlanMarkdown(none, "plan");
    expect(md).toContain("No changes.");
    expect(md).not.toContain("CAUTION");
  });

  test("imports and removed (forget) resources are counted apart; a plan JSON without resource_changes is empty", () => {
    const plan: PlanJson = {
      resource_changes: [
        { address: "aws_connect_queue.support", mode: "managed", type: "aws_connect_queue", change: { actions: ["no-op"], importing: { id: "q-1" } } },
        { address: "aws_sqs_queue.old", mode: "managed", type: "aws_sqs_queue", change: { actions: ["forget"] } },
      ],
    };
    const s = summarizePlan(plan);
    expect(s.counts).toEqual({ add: 0, change: 0, destroy: 0, replace: 0, import: 1, forget: 1 });
    expect(s.statefulLosses).toEqual([]);
    expect(renderPlanText(s, "x").split("\n")[0]).toBe("x: 0 to add, 0 to change, 0 to destroy (1 to import, 1 to forget)");
    expect(summarizePlan({}).changes).toEqual([]);
  });

  test.each([
    [["create"], "create"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
    [["update"], "update"],
    [["delete"], "delete"],
    [["no-op"], undefined],
    [["read"], undefined],
  ])("actions %j -> %s", (actions, expected) => {
    expect(actionOf(actions)).toBe(expected);
  });
});

describe("drift summary (refresh-only plan)", () => {
  test("lists resources changed or deleted outside Terraform", () => {
    const drift = summarizeDrift(fixture("refresh-only-drift.json"));
    expect(drift.drifted.map((d) => [d.address, d.action])).toEqual([
      ["aws_cloudwatch_log_group.bedrock-bridge_worker_logs_2F3A4B5C", "update"],
      ["aws_sqs_queue.bedrock-bridge_failures_queue_0A1B2C3D", "delete"],
    ]);
    const text = renderDriftText(drift, "contact-center-stg");
    expect(text).toContain("contact-center-stg: 2 resource(s) changed outside Terraform");
    expect(text).toContain("aws_sqs_queue.bedrock-bridge_failures_queue_0A1B2C3D (SQS queue): deleted outside Terraform");
    expect(renderDriftMarkdown(drift, "Drift")).toContain("| `aws_sqs_queue.bedrock-bridge_failures_queue_0A1B2C3D` (SQS queue) | deleted |");
  });

  test("no drift", () => {
    const drift = summarizeDrift(fixture("no-changes.json"));
    expect(renderDriftText(drift, "contact-center-dev")).toBe("contact-center-dev: no drift");
    expect(renderDriftMarkdown(drift, "Drift")).toContain("No drift.");
  });
});
