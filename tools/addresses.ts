/**
 * The address inventory: every Terraform address of every environment's synthesized stack, committed in
 * addresses/<env>.txt and reviewed like code. Terraform knows a resource by its address (`type.name`),
 * and cdktf derives the name from the construct path: renaming or re-nesting a construct changes the
 * address of every resource under it, and `terraform apply` then destroys the resource at the old address
 * and creates an empty one at the new. This inventory makes such a change visible and deliberate.
 *
 *   npx tsx tools/addresses.ts [--check] [env...]   exit 1 when a synthesized stack differs from its list
 *   npx tsx tools/addresses.ts --update [env...]    rewrite the lists from the synthesized stacks
 *
 * (`npm run addresses -- --update`.) Without env names, every environment in config/environments (or
 * CONTACT_CENTER_CONFIG_DIR). A check names the stateful resources whose address changed (see
 * stacks/policy/stateful-resources.ts), suggests the stacks/moves.ts entry that keeps each, and lists the
 * moves in effect. __tests__/unit/addresses.test.ts runs the same check on every test run.
 *
 * File format (plain text, sorted, one address a line, so a diff shows exactly what changes):
 *
 *   # comments
 *   [resources]
 *   <address>  <construct path under the stack>  [<CloudFormation type>]  [stateful]
 *   [data sources]
 *   data.<type>.<name>  <construct path>
 *   [moved]
 *   <old address> -> <new address>
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { ConfigError, loadEnvironments } from "../config/load";
import type { EnvironmentConfig } from "../config/schema/environment";
import { ContactCenterStack, stackName } from "../stacks/contact-center-stack";
import { LatencyBudgetError } from "../stacks/latency/budget";
import { statefulKind } from "../stacks/policy/stateful-resources";

export const ROOT = path.join(__dirname, "..");
/** Where the inventories live: one `<env>.txt` per environment. */
export const ADDRESSES_DIR = path.join(ROOT, "addresses");

export const UPDATE_COMMAND = "npm run addresses -- --update";

export interface InventoryEntry {
  /** `type.name`, or `data.type.name` for a data source. */
  readonly address: string;
  /** Construct path under the stack (cdktf derives the name from it). */
  readonly path: string;
  /** The CloudFormation type of a Cloud Control resource. */
  readonly cfnType?: string;
  /** What kind of stateful resource this is ("DynamoDB table"), when a destroy loses data or identity. */
  readonly stateful?: string;
}

export interface Inventory {
  readonly resources: readonly InventoryEntry[];
  readonly dataSources: readonly InventoryEntry[];
  readonly moved: readonly { readonly from: string; readonly to: string }[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature
type TerraformJson = Record<string, any>;

const byAddress = (a: InventoryEntry, b: InventoryEntry) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

function entriesOf(blocks: TerraformJson | undefined, prefix: string, stack: string): InventoryEntry[] {
  const entries: InventoryEntry[] = [];
  for (const [type, named] of Object.entries(blocks ?? {})) {
    for (const [name, body] of Object.entries(named as TerraformJson)) {
      const fullPath = String(body?.["//"]?.metadata?.path ?? "");
      const constructPath = fullPath.startsWith(`${stack}/`) ? fullPath.slice(stack.length + 1) : fullPath || "?";
      const cfnType = typeof body?.type_name === "string" ? body.type_name : undefined;
      entries.push({
        address: `${prefix}${type}.${name}`,
        path: constructPath,
        cfnType: prefix ? undefined : cfnType,
        stateful: prefix ? undefined : statefulKind(type, cfnType),
      });
    }
  }
  return entries.sort(byAddress);
}

/** The inventory of a synthesized stack (its parsed cdk.tf.json). */
export function inventoryOf(json: TerraformJson, stack: string): Inventory {
  const moved = ((json.moved ?? []) as { from: string; to: string }[]).map((m) => ({ from: m.from, to: m.to }));
  return {
    resources: entriesOf(json.resource, "", stack),
    dataSources: entriesOf(json.data, "data.", stack),
    moved: moved.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)),
  };
}

function entryLine(e: InventoryEntry): string {
  return [e.address, e.path, e.cfnType, e.stateful ? "stateful" : undefined].filter(Boolean).join("  ");
}

/** The inventory as the committed file's text. */
export function renderInventory(inventory: Inventory, stack: string): string {
  return [
    `# Terraform addresses of ${stack}, from its synthesized cdk.tf.json. Written by \`${UPDATE_COMMAND}\`;`,
    "# __tests__/unit/addresses.test.ts fails when the synthesized stack differs. On apply, a removed address",
    "# is a destroy and an added one a create, unless stacks/moves.ts moves it: review every change here.",
    "# Columns: address, construct path under the stack, CloudFormation type (Cloud Control resources),",
    '# "stateful" where a destroy loses data or identity (stacks/policy/stateful-resources.ts).',
    "",
    "[resources]",
    ...inventory.resources.map(entryLine),
    "",
    "[data sources]",
    ...inventory.dataSources.map(entryLine),
    "",
    "[moved]",
    ...inventory.moved.map((m) => `${m.from} -> ${m.to}`),
    "",
  ].join("\n");
}

/** Reads a committed inventory file's text back (the inverse of renderInventory). */
export function parseInventory(text: string): Inventory {
  const resources: InventoryEntry[] = [];
  const dataSources: InventoryEntry[] = [];
  const moved: { from: string; to: string }[] = [];
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (section === "moved") {
      const [from, to] = line.split(/\s+->\s+/);
      moved.push({ from, to });
      continue;
    }
    const [address, constructPath = "?", ...rest] = line.split(/\s+/);
    const cfnType = rest.find((r) => r.includes("::"));
    const type = address.replace(/^data\./, "").split(".")[0];
    const entry: InventoryEntry = {
      address,
      path: constructPath,
      cfnType,
      stateful: rest.includes("stateful") ? (statefulKind(type, cfnType) ?? "stateful resource") : undefined,
    };
    if (section === "resources") resources.push(entry);
    else if (section === "data sources") dataSources.push(entry);
    else throw new Error(`address inventory: "${line}" is outside the [resources], [data sources] and [moved] sections`);
  }
  return { resources, dataSources, moved };
}

export interface InventoryDiff {
  /** Resources in the stack but not in the list (created on apply). */
  readonly added: readonly InventoryEntry[];
  /** Resources in the list but not in the stack (destroyed on apply, unless moved). */
  readonly removed: readonly InventoryEntry[];
  /** Removed resources that a `moved` block of the stack carries to a new address. */
  readonly moved: readonly { readonly entry: InventoryEntry; readonly to: string }[];
  /** Removed stateful resources that no `moved` block carries: their data or identity is lost on apply. */
  readonly statefulLosses: readonly InventoryEntry[];
  readonly dataAdded: readonly InventoryEntry[];
  readonly dataRemoved: readonly InventoryEntry[];
  /** True when nothing differs, not even a path, a type column or the moved list. */
  readonly same: boolean;
}

/** What changed between the committed inventory and the synthesized one. */
export function diffInventories(committed: Inventory, current: Inventory): InventoryDiff {
  const minus = (a: readonly InventoryEntry[], b: readonly InventoryEntry[]) => {
    const keep = new Set(b.map((e) => e.address));
    return a.filter((e) => !keep.has(e.address));
  };
  const added = minus(current.resources, committed.resources);
  const removed = minus(committed.resources, current.resources);
  const movedTo = new Map(current.moved.map((m) => [m.from, m.to]));
  const moved = removed.filter((e) => movedTo.has(e.address)).map((entry) => ({ entry, to: movedTo.get(entry.address)! }));
  const statefulLosses = removed.filter((e) => e.stateful && !movedTo.has(e.address));
  const same = renderInventory(committed, "") === renderInventory(current, "");
  return {
    added,
    removed,
    moved,
    statefulLosses,
    dataAdded: minus(current.dataSources, committed.dataSources),
    dataRemoved: minus(committed.dataSources, current.dataSources),
    same,
  };
}

/**
 * The added resource a removed one most likely became: same type (and CloudFormation type), the longest
 * common ending of the construct path (`.../turns/table` after a re-nesting). Undefined when ambiguous.
 */
export function likelySuccessor(removed: InventoryEntry, added: readonly InventoryEntry[]): InventoryEntry | undefined {
  const type = removed.address.split(".")[0];
  const candidates = added.filter((a) => a.address.split(".")[0] === type && a.cfnType === removed.cfnType);
  const commonEnd = (a: string, b: string) => {
    const x = a.split("/").reverse();
    const y = b.split("/").reverse();
    let n = 0;
    while (n < x.length && n < y.length && x[n] === y[n]) n++;
    return n;
  };
  const scored = candidates.map((c) => ({ c, score: commonEnd(c.path, removed.path) })).sort((a, b) => b.score - a.score);
  if (scored.length === 1) return scored[0].c;
  if (scored.length > 1 && scored[0].score > scored[1].score) return scored[0].c;
  return undefined;
}

/** A report of the differences for a terminal or a test failure; empty when there are none. */
export function renderDiff(diff: InventoryDiff, stack: string, file: string): string {
  if (diff.same) return "";
  const lines = [`${stack}: the synthesized addresses differ from ${file}`];
  if (diff.statefulLosses.length) {
    lines.push(
      "",
      `STATEFUL resources whose address changed (${diff.statefulLosses.length}): terraform apply would DESTROY each and create an empty one:`,
    );
    for (const e of diff.statefulLosses) {
      const successor = likelySuccessor(e, diff.added);
      lines.push(`  ! ${e.address} (${e.stateful}${e.cfnType ? `, ${e.cfnType}` : ""}; was at ${e.path})`);
      if (successor) lines.push(`      now ${successor.address} (at ${successor.path})`);
    }
  }
  const movedAway = new Set(diff.moved.map((m) => m.entry));
  const otherRemoved = diff.removed.filter((e) => !e.stateful && !movedAway.has(e));
  if (otherRemoved.length) {
    lines.push("", `Removed (destroyed on apply) (${otherRemoved.length}):`, ...otherRemoved.map((e) => `  - ${e.address} (was at ${e.path})`));
  }
  if (diff.added.length) lines.push("", `Added (created on apply) (${diff.added.length}):`, ...diff.added.map((e) => `  + ${e.address} (at ${e.path})`));
  if (diff.moved.length) {
    lines.push("", `Moved by stacks/moves.ts (the state moves; nothing is destroyed) (${diff.moved.length}):`);
    lines.push(...diff.moved.map((m) => `  ~ ${m.entry.address} -> ${m.to}`));
  }
  if (diff.dataRemoved.length || diff.dataAdded.length) {
    lines.push("", "Data sources (reads only; no data at stake):", ...diff.dataRemoved.map((e) => `  - ${e.address}`), ...diff.dataAdded.map((e) => `  + ${e.address}`));
  }
  const addressesChanged = diff.added.length + diff.removed.length + diff.dataAdded.length + diff.dataRemoved.length > 0;
  if (!addressesChanged) lines.push("", "No address changed; paths, types or the moved list did.");
  // Resources that look renamed (an added one of the same type at a similar path): suggest their moves.
  const renamed = [...diff.statefulLosses, ...otherRemoved.filter((e) => likelySuccessor(e, diff.added))];
  if (renamed.length) {
    lines.push(
      "",
      `If the change is intended, move ${diff.statefulLosses.length ? "the stateful resources (at least)" : "them"} instead of replacing them: add to stacks/moves.ts`,
      ...renamed.map((e) => {
        const successor = likelySuccessor(e, diff.added);
        return `    { from: ${JSON.stringify(e.address)}, to: ${JSON.stringify(successor?.path ?? "<construct path now>")}, reason: "<the refactor>" },`;
      }),
      `then run \`${UPDATE_COMMAND}\` and commit ${file} with the change. If it is not intended, undo the rename.`,
    );
  } else {
    lines.push("", `Review the change, then run \`${UPDATE_COMMAND}\` and commit ${file} with it.`);
  }
  return lines.join("\n");
}

/**
 * Synthesizes `environments` (as `npm run synth` does, into a scratch folder that is removed again) and
 * returns each stack's inventory, keyed by environment name.
 */
export function synthesizeInventories(environments: readonly EnvironmentConfig[]): Map<string, Inventory> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-addresses-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    for (const env of environments) new ContactCenterStack(app, stackName(env), { env });
    app.synth();
    const inventories = new Map<string, Inventory>();
    for (const env of environments) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stackName(env), "cdk.tf.json"), "utf8")) as TerraformJson;
      inventories.set(env.name, inventoryOf(json, stackName(env)));
    }
    return inventories;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

export function inventoryFile(env: string, dir = ADDRESSES_DIR): string {
  return path.join(dir, `${env}.txt`);
}

export interface CheckResult {
  readonly env: string;
  readonly file: string;
  readonly ok: boolean;
  /** renderDiff's report (empty when ok). */
  readonly report: string;
  readonly diff: InventoryDiff;
}

/** Compares each environment's synthesized inventory with its committed file. */
export function checkInventories(inventories: ReadonlyMap<string, Inventory>, dir = ADDRESSES_DIR): CheckResult[] {
  return [...inventories].map(([env, current]) => {
    const file = inventoryFile(env, dir);
    const shown = path.relative(ROOT, file) || file;
    const committed = fs.existsSync(file) ? parseInventory(fs.readFileSync(file, "utf8")) : { resources: [], dataSources: [], moved: [] };
    const diff = diffInventories(committed, current);
    const missing = fs.existsSync(file) ? "" : `${shown} is missing: run \`${UPDATE_COMMAND}\`\n`;
    return { env, file, ok: diff.same && !missing, report: missing + renderDiff(diff, `contact-center-${env}`, shown), diff };
  });
}

export const USAGE = `usage: npx tsx tools/addresses.ts [--check | --update] [env...]

  --check    (default) exit 1 when a synthesized stack's addresses differ from addresses/<env>.txt
  --update   rewrite addresses/<env>.txt from the synthesized stacks (review the diff before committing)
`;

/** The command line; returns the exit code (0 same or written, 1 differences, 2 usage or config error). */
export function run(argv: readonly string[], dir = ADDRESSES_DIR): number {
  const flags = argv.filter((a) => a.startsWith("-"));
  const names = argv.filter((a) => !a.startsWith("-"));
  const unknown = flags.filter((f) => f !== "--check" && f !== "--update");
  if (unknown.length || (flags.includes("--check") && flags.includes("--update"))) {
    console.error(`${unknown.length ? `unknown option ${unknown.join(", ")}\n` : ""}${USAGE}`);
    return 2;
  }
  let environments: EnvironmentConfig[];
  try {
    environments = loadEnvironments({ dir: process.env.CONTACT_CENTER_CONFIG_DIR || undefined });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  const missing = names.filter((n) => !environments.some((e) => e.name === n));
  if (missing.length) {
    console.error(`no environment named ${missing.join(", ")} (known: ${environments.map((e) => e.name).join(", ")})`);
    return 2;
  }
  const selected = names.length ? environments.filter((e) => names.includes(e.name)) : environments;
  let inventories: Map<string, Inventory>;
  try {
    inventories = synthesizeInventories(selected);
  } catch (error) {
    if (!(error instanceof LatencyBudgetError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (flags.includes("--update")) {
    fs.mkdirSync(dir, { recursive: true });
    for (const [env, inventory] of inventories) {
      const file = inventoryFile(env, dir);
      const text = renderInventory(inventory, `contact-center-${env}`);
      const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
      if (before === text) {
        console.log(`${path.relative(ROOT, file) || file}: unchanged (${inventory.resources.length} resources, ${inventory.dataSources.length} data sources)`);
        continue;
      }
      const report = before === undefined ? "" : renderDiff(diffInventories(parseInventory(before), inventory), `contact-center-${env}`, path.relative(ROOT, file));
      fs.writeFileSync(file, text);
      console.log(`${path.relative(ROOT, file) || file}: written (${inventory.resources.length} resources, ${inventory.dataSources.length} data sources)`);
      if (report) console.log(report.replace(/^/gm, "  "));
    }
    return 0;
  }
  const results = checkInventories(inventories, dir);
  for (const result of results) {
    if (result.ok) console.log(`${path.relative(ROOT, result.file) || result.file}: current`);
    else console.error(result.report);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
