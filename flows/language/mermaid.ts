/**
 * Renders a flow as a Mermaid flowchart for reviews and docs: one node per action (identifier, type and
 * the key parameter), edges labelled with the condition operand, the error type or "next". Node ids
 * are `a<index>`, since identifiers may hold characters Mermaid reads as syntax.
 */
import type { FlowAction, FlowDocument, JsonObject, JsonValue } from "./wire";

export interface MermaidOptions {
  /** @default "TD" (top-down) */
  readonly direction?: "TD" | "LR";
  /** Longest parameter summary in a node, in characters. @default 40 */
  readonly maxSummaryLength?: number;
}

const TERMINAL_TYPES = new Set(["DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution"]);

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function obj(value: JsonValue | undefined): JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : {};
}

/** The last path part of an ARN (`function:name`, `bot-alias/BOT/ALIAS`), or the text itself. */
function arnTail(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^\$\{TfToken\[[^\]]*\]\}$/.test(value)) return "(token)";
  const lambda = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(value);
  if (lambda) return lambda[1];
  const arn = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:(.+)$/.exec(value);
  return arn ? arn[1].replace(/^[a-z-]+\//, "") : value;
}

function messageOf(p: JsonObject): string | undefined {
  const ssml = str(p.SSML);
  return str(p.Text) ?? (ssml !== undefined ? ssml.replace(/<[^>]*>/g, " ") : undefined) ?? arnTail(str(p.PromptId));
}

/** The key parameter of an action, in a few words. */
export function actionSummary(action: FlowAction): string {
  const p = action.Parameters ?? {};
  switch (action.Type) {
    case "MessageParticipant":
      return messageOf(p) ?? "";
    case "GetParticipantInput":
      return `${str(p.StoreInput) === "True" ? "store digits" : "menu"}: ${messageOf(p) ?? ""}`;
    case "ConnectParticipantWithLexBot":
      return `bot ${arnTail(str(obj(p.LexV2Bot).AliasArn)) ?? str(obj(p.LexBot).Name) ?? "?"}`;
    case "InvokeLambdaFunction":
      return `${arnTail(str(p.LambdaFunctionARN)) ?? "?"} (${str(p.InvocationTimeLimitSeconds) ?? "?"} s)`;
    case "Compare":
      return str(p.ComparisonValue) ?? "";
    case "Loop":
      return `count ${str(p.LoopCount) ?? "?"}`;
    case "Wait":
      return `${str(p.TimeLimitSeconds) ?? "?"} s`;
    case "UpdateContactAttributes":
      return Object.keys(obj(p.Attributes)).join(", ");
    case "UpdateContactEventHooks":
      return Object.keys(obj(p.EventHooks)).join(", ");
    case "ShowView":
      return `view ${arnTail(str(obj(p.ViewResource).Id)) ?? "?"}`;
    case "UpdateContactData":
      return Object.keys(p).join(", ");
    case "UpdateContactTargetQueue":
      return str(p.QueueId) !== undefined ? `queue ${arnTail(str(p.QueueId))}` : `agent ${arnTail(str(p.AgentId)) ?? "?"}`;
    case "UpdateFlowLoggingBehavior":
      return str(p.FlowLoggingBehavior) ?? "";
    case "UpdateContactRecordingBehavior": {
      const participants = obj(p.RecordingBehavior).RecordedParticipants;
      return Array.isArray(participants) ? `record ${participants.join(", ") || "nobody"}` : "";
    }
    case "UpdateContactTextToSpeechVoice":
      return str(p.TextToSpeechVoice) ?? "";
    default:
      return "";
  }
}

/** Text safe inside a quoted Mermaid label. */
function escapeLabel(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\|/g, "#124;");
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function node(id: string, action: FlowAction, max: number): string {
  const summary = actionSummary(action);
  const label = `${escapeLabel(action.Identifier)}<br/>${escapeLabel(action.Type)}${summary ? `: ${escapeLabel(shorten(summary, max))}` : ""}`;
  if (TERMINAL_TYPES.has(action.Type)) return `${id}(["${label}"])`;
  if (action.Type === "Compare") return `${id}{"${label}"}`;
  return `${id}["${label}"]`;
}

interface Edge {
  readonly target: string;
  readonly dotted: boolean;
  readonly labels: string[];
}

/** Edges of one action; labels with the same target and style are merged into one edge. */
function edgesOf(action: FlowAction): Edge[] {
  const t = action.Transitions ?? {};
  const edges: Edge[] = [];
  const add = (target: string, dotted: boolean, label: string) => {
    const existing = edges.find((e) => e.target === target && e.dotted === dotted);
    if (existing) existing.labels.push(label);
    else edges.push({ target, dotted, labels: [label] });
  };
  for (const c of t.Conditions ?? []) {
    const operands = (c.Condition?.Operands ?? []).join(", ");
    add(c.NextAction, false, c.Condition?.Operator === "Equals" ? operands : `${c.Condition?.Operator} ${operands}`);
  }
  for (const e of t.Errors ?? []) add(e.NextAction, true, e.ErrorType);
  // Consoles repeat a branch target as NextAction; draw "next" only where it adds a route.
  if (t.NextAction !== undefined && !edges.some((e) => e.target === t.NextAction)) add(t.NextAction, false, "next");
  return edges;
}

export function flowToMermaid(document: FlowDocument, options: MermaidOptions = {}): string {
  const max = options.maxSummaryLength ?? 40;
  const index = new Map<string, string>();
  document.Actions.forEach((a, i) => {
    if (!index.has(a.Identifier)) index.set(a.Identifier, `a${i}`);
  });
  const missing = new Map<string, string>();
  const nodeId = (target: string) => {
    const known = index.get(target);
    if (known) return known;
    if (!missing.has(target)) missing.set(target, `missing${missing.size}`);
    return missing.get(target) as string;
  };
  const lines = [`flowchart ${options.direction ?? "TD"}`, `  start((Start)) --> ${nodeId(document.StartAction)}`];
  document.Actions.forEach((a, i) => lines.push(`  ${node(`a${i}`, a, max)}`));
  document.Actions.forEach((a, i) => {
    for (const edge of edgesOf(a)) {
      const label = escapeLabel(edge.labels.join(" / "));
      lines.push(`  a${i} ${edge.dotted ? "-.->" : "-->"}|"${label}"| ${nodeId(edge.target)}`);
    }
  });
  for (const [target, id] of missing) lines.push(`  ${id}[/"missing action ${escapeLabel(target)}"/]`);
  return `${lines.join("\n")}\n`;
}

