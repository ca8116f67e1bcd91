import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, type TerraformElement, TerraformStack, Testing } from "cdktf";
import type { Node } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { type AddressMove, AddressMoves, resolveMoves } from "../../stacks/address-moves";
import { ContactCenterStack, stackName } from "../../stacks/contact-center-stack";
import { MOVES } from "../../stacks/moves";
import {
  checkInventories,
  diffInventories,
  type Inventory,
  inventoryFile,
  inventoryOf,
  parseInventory,
  renderDiff,
  renderInventory,
  run,
  synthesizeInventories,
} from "../../tools/addresses";
import { defaultEnvironment, defaultEnvironments, type TerraformJson } from "../support/synth";

/**
 * The address contract: each environment's synthesized addresses equal the committed inventory
 * (addresses/<env>.txt), and a change names the stateful resources it would destroy. Synth only.
 */

/**
 * The incident this guards against: nesting constructs under a new scope changes the address of every
 * resource below it. Simulated by giving every bridge resource a new logical id, as re-nesting
 * `bedrock-bridge` under a new `contact-center` scope would (the construct paths stay, only the
 * addresses change, so the test needs no change to the kit's constructs).
 */
class RenestedStack extends ContactCenterStack {
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const id = super.allocateLogicalId(element);
    const nodePath = "node" in element ? element.node.path : element.path;
    return nodePath.includes("/bedrock-bridge/") ? `contact-center_${id}` : id;
  }
}

function synth(env: EnvironmentConfig, options: { moves?: readonly AddressMove[]; renested?: boolean } = {}): TerraformJson {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-addresses-test-"));
  try {
    const app = Testing.stubVersion(new App({ outdir, stackTraces: false }));
    const Stack = options.renested ? RenestedStack : ContactCenterStack;
    new Stack(app, stackName(env), { env, moves: options.moves });
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stackName(env), "cdk.tf.json"), "utf8"));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const committed = (env: string): Inventory => parseInventory(fs.readFileSync(inventoryFile(env), "utf8"));

describe("address inventory (addresses/<env>.txt)", () => {
  let current: Map<string, Inventory>;

  beforeAll(() => {
    current = synthesizeInventories(defaultEnvironments());
  }, 120_000);

  test.each(defaultEnvironments().map((e) => [e.name]))("%s: the synthesized addresses are the committed ones", (name) => {
    const [result] = checkInventories(new Map([[name, current.get(name)!]]));
    // The report names the stateful resources whose address changed and how to keep them.
    if (!result.ok) throw new Error(`${result.report}\n`);
  });

  test("lists every resource with its construct path; stateful ones marked; data sources apart", () => {
    const dev = committed("dev");
    expect(dev.resources.find((e) => e.address.startsWith("aws_dynamodb_table."))).toEqual({
      address: "aws_dynamodb_table.bedrock-bridge_turns_table_510D280A",
      path: "bedrock-bridge/turns/table",
      stateful: "DynamoDB table",
    });
    const bot = dev.resources.find((e) => e.cfnType === "AWS::Lex::Bot" && e.path === "bedrock-bridge-bot/bot/resource");
    expect(bot?.stateful).toBe("Lex bot");
    expect(dev.resources.find((e) => e.cfnType === "AWS::Lex::BotVersion")?.stateful).toBeUndefined();
    expect(dev.dataSources.every((e) => e.address.startsWith("data."))).toBe(true);
    expect(dev.resources.some((e) => e.address.startsWith("data."))).toBe(false);
    const text = fs.readFileSync(inventoryFile("dev"), "utf8");
    expect(renderInventory(parseInventory(text), "contact-center-dev")).toBe(text);
    const addresses = dev.resources.map((e) => e.address);
    expect([...addresses].sort()).toEqual(addresses);
  });

  test("every entry of stacks/moves.ts applies to at least one environment", () => {
    const used = new Set<AddressMove>();
    for (const env of defaultEnvironments()) {
      const app = Testing.app();
      const stack = new ContactCenterStack(app, stackName(env), { env });
      const resolved = resolveMoves(stack, env.name, MOVES);
      expect(resolved.errors).toEqual([]);
      for (const move of MOVES) if (!resolved.skipped.includes(move)) used.add(move);
    }
    expect(MOVES.filter((m) => !used.has(m))).toEqual([]);
  });
});

describe("a refactor that changes addresses (bridge re-nested, as in the incident)", () => {
  const dev = defaultEnvironment("dev");
  let renested: Inventory;

  beforeAll(() => {
    renested = inventoryOf(synth(dev, { renested: true }), stackName(dev));
  }, 120_000);

  test("fails the check, naming each stateful resource that would be destroyed and the move that keeps it", () => {
    const diff = diffInventories(committed("dev"), renested);
    expect(diff.same).toBe(false);
    const losses = diff.statefulLosses.map((e) => e.address);
    expect(losses).toEqual(
      expect.arrayContaining([
        "aws_dynamodb_table.bedrock-bridge_turns_table_510D280A",
        "aws_sqs_queue.bedrock-bridge_worker-failures_43E00D29",
        "aws_cloudwatch_log_group.bedrock-bridge_worker_logs_AA164350",
      ]),
    );
    expect(diff.statefulLosses.every((e) => e.path.startsWith("bedrock-bridge/"))).toBe(true);
    // Functions and roles change address too; they are listed, not called out as stateful.
    expect(diff.removed.length).toBeGreaterThan(losses.length);
    expect(diff.added.length).toBe(diff.removed.length);

    const report = renderDiff(diff, "contact-center-dev", "addresses/dev.txt");
    expect(report).toContain(`STATEFUL resources whose address changed (${losses.length}): terraform apply would DESTROY each`);
    expect(report).toContain(
      "  ! aws_dynamodb_table.bedrock-bridge_turns_table_510D280A (DynamoDB table; was at bedrock-bridge/turns/table)\n" +
        "      now aws_dynamodb_table.contact-center_bedrock-bridge_turns_table_510D280A (at bedrock-bridge/turns/table)",
    );
    expect(report).toContain(
      '    { from: "aws_dynamodb_table.bedrock-bridge_turns_table_510D280A", to: "bedrock-bridge/turns/table", reason: "<the refactor>" },',
    );
    expect(report).toContain("then run `npm run addresses -- --update` and commit addresses/dev.txt with the change");
    // Functions and roles look renamed too: their moves are suggested after the stateful ones.
    expect(report).toContain(
      '    { from: "aws_lambda_function.bedrock-bridge_worker_function_0142A0FF", to: "bedrock-bridge/worker/function", reason: "<the refactor>" },',
    );
    expect(report.indexOf("aws_lambda_function.bedrock-bridge_worker_function_0142A0FF\", to:")).toBeGreaterThan(
      report.indexOf("aws_dynamodb_table.bedrock-bridge_turns_table_510D280A\", to:"),
    );
    expect(report).toMatch(/^Removed \(destroyed on apply\) \(\d+\):$/m);
    expect(report).toContain("  - aws_iam_role.bedrock-bridge_worker_role_64BD8EE8 (was at bedrock-bridge/worker/role/role)");
    expect(report).toContain("  + aws_dynamodb_table.contact-center_bedrock-bridge_turns_table_510D280A (at bedrock-bridge/turns/table)");
  });

  test("with a moves entry per stateful resource, they move instead: moved blocks in the JSON, none lost", () => {
    const losses = diffInventories(committed("dev"), renested).statefulLosses;
    const moves = losses.map((e) => ({ from: e.address, to: e.path, reason: "bridge nested under contact-center" }));
    const json = synth(dev, { renested: true, moves });
    expect(json.moved).toContainEqual({
      from: "aws_dynamodb_table.bedrock-bridge_turns_table_510D280A",
      to: "aws_dynamodb_table.contact-center_bedrock-bridge_turns_table_510D280A",
    });
    expect(json.moved).toHaveLength(losses.length);
    const diff = diffInventories(committed("dev"), inventoryOf(json, stackName(dev)));
    expect(diff.statefulLosses).toEqual([]);
    expect(diff.moved.map((m) => m.entry.address).sort()).toEqual(losses.map((e) => e.address).sort());
    const report = renderDiff(diff, "contact-center-dev", "addresses/dev.txt");
    expect(report).not.toContain("STATEFUL");
    expect(report).toContain("If the change is intended, move them instead of replacing them");
    expect(report).toContain(
      "  ~ aws_dynamodb_table.bedrock-bridge_turns_table_510D280A -> aws_dynamodb_table.contact-center_bedrock-bridge_turns_table_510D280A",
    );
    expect(report).toContain("then run `npm run addresses -- --update` and commit addresses/dev.txt with the change");
  });
});

describe("moves table (stacks/address-moves.ts)", () => {
  function tinyStack(): TerraformStack {
    const stack = new TerraformStack(Testing.app(), "tiny");
    new DynamodbTable(stack, "table", { name: "t", hashKey: "pk", attribute: [{ name: "pk", type: "S" }] });
    new SqsQueue(stack, "queue", {});
    return stack;
  }
  const reason = "test";

  test("to: a construct path or an address; the block moves to the resource's current address", () => {
    const stack = tinyStack();
    const resolved = resolveMoves(stack, "dev", [
      { from: "aws_dynamodb_table.old", to: "table", reason },
      { from: "aws_sqs_queue.old", to: "aws_sqs_queue.queue", reason },
    ]);
    expect(resolved).toEqual({
      moved: [
        { from: "aws_dynamodb_table.old", to: "aws_dynamodb_table.table" },
        { from: "aws_sqs_queue.old", to: "aws_sqs_queue.queue" },
      ],
      skipped: [],
      errors: [],
    });
  });

  test("a chain of refactors: a -> b, b -> c (Terraform follows it)", () => {
    const resolved = resolveMoves(tinyStack(), "dev", [
      { from: "aws_dynamodb_table.a", to: "aws_dynamodb_table.b", reason },
      { from: "aws_dynamodb_table.b", to: "table", reason },
    ]);
    expect(resolved.errors).toEqual([]);
    expect(resolved.moved).toEqual([
      { from: "aws_dynamodb_table.a", to: "aws_dynamodb_table.b" },
      { from: "aws_dynamodb_table.b", to: "aws_dynamodb_table.table" },
    ]);
  });

  test("entries for other environments, or whose resource this environment lacks, are skipped", () => {
    const other = { from: "aws_dynamodb_table.old", to: "table", environments: ["prod"], reason };
    const absent = { from: "aws_sns_topic.old", to: "alarms/topic", reason };
    expect(resolveMoves(tinyStack(), "dev", [other, absent])).toEqual({ moved: [], skipped: [other, absent], errors: [] });
  });

  test("rejected: an old address still in the stack, another type, two moves to one address, an unknown target named for this environment", () => {
    const { errors } = resolveMoves(tinyStack(), "dev", [
      { from: "aws_dynamodb_table.table", to: "table", reason },
      { from: "aws_dynamodb_table.old", to: "queue", reason },
      { from: "aws_sqs_queue.one", to: "queue", reason },
      { from: "aws_sqs_queue.two", to: "queue", reason },
      { from: "aws_sqs_queue.three", to: "nowhere", environments: ["dev"], reason },
      { from: "not an address", to: "queue", reason },
    ]);
    expect(errors).toEqual([
      expect.stringContaining("aws_dynamodb_table.table is still an address of this stack"),
      expect.stringContaining("a aws_dynamodb_table cannot move to a aws_sqs_queue (aws_sqs_queue.queue)"),
      expect.stringContaining("aws_sqs_queue.queue already receives aws_sqs_queue.one; Terraform rejects two moves to one address"),
      expect.stringContaining("no resource of this stack has that construct path or address"),
      expect.stringContaining('"from" must be a resource address'),
    ]);
  });

  test("an invalid entry fails synth with its message; a valid one is written without the terraform binary", () => {
    const failing = tinyStack();
    new AddressMoves(failing, "moves", { environment: "dev", moves: [{ from: "aws_sqs_queue.queue", to: "queue", reason }] });
    expect(() => Testing.fullSynth(failing)).toThrow(/aws_sqs_queue\.queue is still an address of this stack/);

    const stack = tinyStack();
    new AddressMoves(stack, "moves", { environment: "dev", moves: [{ from: "aws_sqs_queue.old", to: "queue", reason }] });
    const previousPath = process.env.PATH;
    process.env.PATH = path.join(os.tmpdir(), "no-terraform-here"); // cdktf's moveFromId would run `terraform version`
    try {
      expect(JSON.parse(Testing.synth(stack)).moved).toEqual([{ from: "aws_sqs_queue.old", to: "aws_sqs_queue.queue" }]);
    } finally {
      process.env.PATH = previousPath;
    }
  });

  test("the inventory lists the moves in effect", () => {
    const json = { resource: { aws_sqs_queue: { queue: { "//": { metadata: { path: "tiny/queue" } } } } }, moved: [{ from: "aws_sqs_queue.old", to: "aws_sqs_queue.queue" }] };
    const text = renderInventory(inventoryOf(json, "tiny"), "tiny");
    expect(text).toContain("[resources]\naws_sqs_queue.queue  queue  stateful\n");
    expect(text).toContain("[moved]\naws_sqs_queue.old -> aws_sqs_queue.queue\n");
    expect(parseInventory(text).moved).toEqual([{ from: "aws_sqs_queue.old", to: "aws_sqs_queue.queue" }]);
  });
});

describe("tools/addresses.ts", () => {
  test("--check fails on a missing or stale list and passes on a fresh one; --update writes it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-addresses-cli-"));
    const errors: string[] = [];
    const error = jest.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(run(["--check", "stg"], dir)).toBe(1);
      expect(errors.join("\n")).toContain("is missing: run `npm run addresses -- --update`");
      expect(run(["--update", "stg"], dir)).toBe(0);
      expect(fs.readFileSync(path.join(dir, "stg.txt"), "utf8")).toBe(fs.readFileSync(inventoryFile("stg"), "utf8"));
      expect(run(["stg"], dir)).toBe(0);
      const file = path.join(dir, "stg.txt");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("aws_dynamodb_table.bedrock-bridge_turns_table_510D280A", "aws_dynamodb_table.renamed"));
      errors.length = 0;
      expect(run(["--check", "stg"], dir)).toBe(1);
      expect(errors.join("\n")).toContain("+ aws_dynamodb_table.bedrock-bridge_turns_table_510D280A");
      expect(run(["--check", "nope"], dir)).toBe(2);
      expect(run(["--check", "--update"], dir)).toBe(2);
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
  }, 120_000);
});
