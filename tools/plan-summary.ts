/**
 * Reads `terraform show -json <planfile>` and says what a plan will do: how many resources are added,
 * changed, destroyed and replaced, and which of them hold state that a replacement or destroy would
 * lose (tables, queues, the Connect instance, bots, the Q in Connect assistant, ...). Used by
 * tools/terraform.ts for `plan`, `diff` and `drift`, and by the pipelines for their job summaries.
 */
import {
  CLOUD_CONTROL_TYPE,
  STATEFUL_CLOUD_CONTROL_TYPES,
  STATEFUL_TYPES,
  statefulKind as statefulKindOf,
} from "../stacks/policy/stateful-resources";

/** The parts of Terraform's JSON plan representation this module reads. */
export interface PlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChangeJson[];
  /** Changes made outside Terraform, found while refreshing (the only content of a refresh-only plan). */
  readonly resource_drift?: readonly ResourceChangeJson[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
  readonly errored?: boolean;
}

export interface ResourceChangeJson {
  readonly address: string;
  readonly mode?: "managed" | "data";
  readonly type: string;
  readonly name?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    /** Attribute paths that force the replacement. */
    readonly replace_paths?: readonly (readonly (string | number)[])[];
    readonly importing?: unknown;
  };
  readonly action_reason?: string;
}

/** What happens to one resource, with replacement shown as one action. */
export type ChangeAction = "create" | "update" | "delete" | "replace" | "forget" | "import";

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly action: ChangeAction;
  /** What kind of stateful resource this is ("DynamoDB table"), or undefined for a stateless one. */
  readonly stateful?: string;
  /** Attributes that force a replacement, as dotted paths. */
  readonly replaceBecause: readonly string[];
  /** Terraform's reason for the action (e.g. replace_because_tainted), when it gives one. */
  readonly reason?: string;
}

export interface PlanCounts {
  /** Resources created, replacements included (as Terraform counts "to add"). */
  readonly add: number;
  readonly change: number;
  /** Resources destroyed, replacements included (as Terraform counts "to destroy"). */
  readonly destroy: number;
  readonly replace: number;
  readonly import: number;
  /** Resources removed from the state without being destroyed (`removed` blocks). */
  readonly forget: number;
}

export interface PlanSummary {
  readonly counts: PlanCounts;
  /** Every managed resource with an action, in plan order. */
  readonly changes: readonly ResourceChange[];
  /** Replacements and destroys of stateful resources: what a reviewer must look at. */
  readonly statefulLosses: readonly ResourceChange[];
  /** Output names whose value changes. */
  readonly outputChanges: readonly string[];
}

export interface DriftSummary {
  /** Resources changed (update) or removed (delete) outside Terraform. */
  readonly drifted: readonly ResourceChange[];
}

/** The stateful resource types (one list for the kit: stacks/policy/stateful-resources.ts). */
export { STATEFUL_CLOUD_CONTROL_TYPES, STATEFUL_TYPES };

function typeNameOf(value: unknown): string | undefined {
  if (value && typeof value === "object" && "type_name" in value) {
    const typeName = (value as { type_name?: unknown }).type_name;
    return typeof typeName === "string" ? typeName : undefined;
  }
  return undefined;
}

/** The kind of stateful resource `rc` is, or undefined. */
export function statefulKind(rc: ResourceChangeJson): string | undefined {
  const typeName = rc.type === CLOUD_CONTROL_TYPE ? (typeNameOf(rc.change.before) ?? typeNameOf(rc.change.after)) : undefined;
  return statefulKindOf(rc.type, typeName);
}

/** One action for Terraform's list of actions; undefined for no-op and read. */
export function actionOf(actions: readonly string[], importing = false): ChangeAction | undefined {
  const has = (a: string) => actions.includes(a);
  if (has("delete") && has("create")) return "replace";
  if (has("create")) return "create";
  if (has("delete")) return "delete";
  if (has("update")) return "update";
  if (has("forget")) return "forget";
  if (importing) return "import";
  return undefined;
}

function toChange(rc: ResourceChangeJson): ResourceChange | undefined {
  if (rc.mode === "data") return undefined;
  const action = actionOf(rc.change.actions, rc.change.importing !== undefined && rc.change.importing !== null);
  if (!action) return undefined;
  return {
    address: rc.address,
    type: rc.type,
    action,
    stateful: statefulKind(rc),
    replaceBecause: action === "replace" ? (rc.change.replace_paths ?? []).map((p) => p.map(String).join(".")) : [],
    reason: rc.action_reason,
  };
}

function changedOutputs(plan: PlanJson): string[] {
  return Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => change.actions.some((a) => a !== "no-op"))
    .map(([name]) => name);
}

/** Summarizes a plan's `resource_changes`. */
export function summarizePlan(plan: PlanJson): PlanSummary {
  const changes = (plan.resource_changes ?? []).map(toChange).filter((c): c is ResourceChange => c !== undefined);
  const count = (action: ChangeAction) => changes.filter((c) => c.action === action).length;
  const replace = count("replace");
  const imported = (plan.resource_changes ?? []).filter((rc) => rc.mode !== "data" && rc.change.importing != null).length;
  return {
    counts: {
      add: count("create") + replace,
      change: count("update"),
      destroy: count("delete") + replace,
      replace,
      import: imported,
      forget: count("forget"),
    },
    changes,
    statefulLosses: changes.filter((c) => c.stateful && (c.action === "replace" || c.action === "delete")),
    outputChanges: changedOutputs(plan),
  };
}

/** Summarizes a refresh-only plan's `resource_drift`. */
export function summarizeDrift(plan: PlanJson): DriftSummary {
  const drifted = (plan.resource_drift ?? []).map(toChange).filter((c): c is ResourceChange => c !== undefined);
  return { drifted };
}

const ACTION_WORDS: Readonly<Record<ChangeAction, string>> = {
  create: "create",
  update: "update in place",
  delete: "destroy",
  replace: "replace (destroy, then create)",
  forget: "remove from state (not destroyed)",
  import: "import",
};

const ACTION_SYMBOLS: Readonly<Record<ChangeAction, string>> = {
  create: "+",
  update: "~",
  delete: "-",
  replace: "-/+",
  forget: ".",
  import: "<=",
};

function headline(counts: PlanCounts): string {
  const parts = [`${counts.add} to add`, `${counts.change} to change`, `${counts.destroy} to destroy`];
  const extra = [
    counts.replace ? `${counts.replace} replacement${counts.replace === 1 ? "" : "s"}` : "",
    counts.import ? `${counts.import} to import` : "",
    counts.forget ? `${counts.forget} to forget` : "",
  ].filter(Boolean);
  return `${parts.join(", ")}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

function because(change: ResourceChange): string {
  const fields = change.replaceBecause.length ? `because ${change.replaceBecause.join(", ")} changed` : "";
  const reason = change.reason && !change.replaceBecause.length ? change.reason.replace(/_/g, " ") : "";
  return fields || reason;
}

function lossLine(change: ResourceChange): string {
  const why = because(change);
  return `${change.address} (${change.stateful}): ${ACTION_WORDS[change.action]}${why ? `, ${why}` : ""}`;
}

/** The plan summary as plain text for a terminal or a CI log. */
export function renderPlanText(summary: PlanSummary, title: string): string {
  const lines = [`${title}: ${headline(summary.counts)}`];
  if (summary.changes.length === 0 && summary.outputChanges.length === 0) lines.push("No changes.");
  if (summary.statefulLosses.length) {
    lines.push("", `WARNING: ${summary.statefulLosses.length} stateful resource(s) would be replaced or destroyed; their data or identity is lost:`);
    for (const loss of summary.statefulLosses) lines.push(`  ! ${lossLine(loss)}`);
  }
  const others = summary.changes.filter((c) => !summary.statefulLosses.includes(c));
  if (others.length) {
    lines.push("", "Changes:");
    for (const change of others) lines.push(`  ${ACTION_SYMBOLS[change.action].padEnd(3)} ${change.address}${change.stateful ? ` (${change.stateful})` : ""}`);
  }
  if (summary.outputChanges.length) lines.push("", `Outputs changing: ${summary.outputChanges.join(", ")}`);
  return lines.join("\n");
}

const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;

/** The plan summary as GitHub-flavoured Markdown (for `$GITHUB_STEP_SUMMARY` or a merge request note). */
export function renderPlanMarkdown(summary: PlanSummary, title: string): string {
  const lines = [`### ${title}`, "", `**${headline(summary.counts)}**`, ""];
  if (summary.statefulLosses.length) {
    lines.push("> [!CAUTION]", `> ${summary.statefulLosses.length} stateful resource(s) would be replaced or destroyed; their data or identity is lost:`);
    for (const loss of summary.statefulLosses) {
      const why = because(loss);
      lines.push(`> - ${code(loss.address)} (${loss.stateful}): **${ACTION_WORDS[loss.action]}**${why ? `, ${why}` : ""}`);
    }
    lines.push("");
  }
  if (summary.changes.length === 0 && summary.outputChanges.length === 0) {
    lines.push("No changes.", "");
    return lines.join("\n");
  }
  if (summary.changes.length) {
    lines.push(`<details><summary>Resource changes (${summary.changes.length})</summary>`, "", "| Action | Resource | Stateful |", "|---|---|---|");
    for (const change of summary.changes) {
      lines.push(`| ${ACTION_WORDS[change.action]} | ${code(change.address)} | ${change.stateful ?? ""} |`);
    }
    lines.push("", "</details>", "");
  }
  if (summary.outputChanges.length) lines.push(`Outputs changing: ${summary.outputChanges.map(code).join(", ")}`, "");
  return lines.join("\n");
}

/** The drift summary as plain text. */
export function renderDriftText(drift: DriftSummary, title: string): string {
  if (drift.drifted.length === 0) return `${title}: no drift`;
  const lines = [`${title}: ${drift.drifted.length} resource(s) changed outside Terraform`];
  for (const d of drift.drifted) {
    const what = d.action === "delete" ? "deleted outside Terraform" : "changed outside Terraform";
    lines.push(`  ${d.address}${d.stateful ? ` (${d.stateful})` : ""}: ${what}`);
  }
  return lines.join("\n");
}

/** The drift summary as Markdown. */
export function renderDriftMarkdown(drift: DriftSummary, title: string): string {
  if (drift.drifted.length === 0) return `### ${title}\n\nNo drift.\n`;
  const lines = [`### ${title}`, "", `**${drift.drifted.length} resource(s) changed outside Terraform**`, "", "| Resource | Drift |", "|---|---|"];
  for (const d of drift.drifted) {
    lines.push(`| ${code(d.address)}${d.stateful ? ` (${d.stateful})` : ""} | ${d.action === "delete" ? "deleted" : "changed"} |`);
  }
  lines.push("");
  return lines.join("\n");
}
