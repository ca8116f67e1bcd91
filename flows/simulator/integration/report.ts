/**
 * Per-turn reports of a simulated contact: what the customer saw and when, the Lambda invocations, the
 * DynamoDB requests and Bedrock calls of each turn, and a printable table. Turn 0 is everything before
 * the customer's first message (session setup, greeting); turn n runs from the customer's n-th message
 * to the next one.
 */
import type { ContactTrace, TranscriptEntry } from "../trace";
import type { LexTurnRecord } from "./lex-bot";
import type { BedrockRecord, ContactRun, DynamoRecord, InvocationRecord } from "./simulation";
import { isDisturbed } from "./stall-sentinel";

export interface SeenMessage {
  readonly atMs: number;
  readonly from: TranscriptEntry["from"];
  readonly kind: TranscriptEntry["kind"];
  readonly text: string;
}

export interface TurnReport {
  /** 0: before the first customer message. */
  readonly index: number;
  readonly customer?: { readonly text: string; readonly atMs: number };
  /** Bot and flow messages (and agent views) of the turn, in the order the customer got them. */
  readonly seen: readonly SeenMessage[];
  /** The turn's answer (see SimulationOptions.isAnswer) and how long after the message it came. */
  readonly answer?: { readonly text: string; readonly atMs: number; readonly latencyMs: number };
  readonly invocations: readonly InvocationRecord[];
  readonly dynamo: { readonly reads: number; readonly writes: number; readonly byOperation: Readonly<Record<string, number>> };
  /** answer-poller calls of the turn and the reads they reported (their PollReads metric). */
  readonly polls: { readonly calls: number; readonly reads: number };
  readonly bedrock: readonly BedrockRecord[];
  readonly lex: readonly LexTurnRecord[];
  /** Error branches, waits and time-outs of the turn, one line each. */
  readonly notes: readonly string[];
}

export interface ReportInput {
  readonly trace: ContactTrace;
  readonly invocations: readonly InvocationRecord[];
  readonly dynamo: readonly DynamoRecord[];
  readonly bedrock: readonly BedrockRecord[];
  readonly lex: readonly LexTurnRecord[];
}

const isPoller = (record: InvocationRecord) => record.functionName.endsWith("answer-poller");

/** Splits a contact into turns. */
export function turnReports(input: ReportInput): TurnReport[] {
  const { trace } = input;
  const customer = trace.transcript.filter((entry) => entry.from === "customer").sort((a, b) => a.seq - b.seq);
  const summaries = new Map(trace.turns.map((turn) => [turn.index, turn]));
  const reports: TurnReport[] = [];
  for (let index = 0; index <= customer.length; index += 1) {
    const message = index > 0 ? customer[index - 1] : undefined;
    const next = customer[index];
    const fromSeq = message?.seq ?? 0;
    const toSeq = next?.seq ?? Number.POSITIVE_INFINITY;
    const fromMs = message?.atMs ?? 0;
    const toMs = next?.atMs ?? Number.POSITIVE_INFINITY;
    const inTime = (atMs: number) => atMs >= fromMs && atMs < toMs;
    const seen = trace.transcript
      .filter((entry) => entry.seq > fromSeq && entry.seq < toSeq && entry.from !== "customer")
      .sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)
      .map((entry) => ({ atMs: entry.atMs, from: entry.from, kind: entry.kind, text: entry.text }));
    const invocations = input.invocations.filter((record) => inTime(record.atMs));
    const dynamo = input.dynamo.filter((record) => inTime(record.atMs));
    const byOperation: Record<string, number> = {};
    for (const record of dynamo) byOperation[record.operation] = (byOperation[record.operation] ?? 0) + 1;
    const polls = invocations.filter((record) => isPoller(record) && record.status !== "throttled");
    const summary = index > 0 ? summaries.get(index) : undefined;
    // A step belongs to the turn in which it ended (a Lex block that waited for the message ends in its turn).
    const notes = trace.steps
      .filter((step) => inTime(step.atMs + step.durationMs))
      .filter((step) => (step.branch.startsWith("Error") && !step.branch.startsWith("Error: NoMatchingCondition")) || step.type === "Wait" || step.branch === "Failed")
      .map((step) => `${(step.atMs / 1000).toFixed(1)} s ${step.actionId}: ${step.type === "Wait" ? `waited ${(step.durationMs / 1000).toFixed(1)} s` : step.branch}${step.note ? ` (${step.note})` : ""}`);
    reports.push({
      index,
      ...(message ? { customer: { text: message.text, atMs: message.atMs } } : {}),
      seen,
      ...(summary?.answerText !== undefined && summary.answerAtMs !== undefined
        ? { answer: { text: summary.answerText, atMs: summary.answerAtMs, latencyMs: summary.answerAtMs - summary.sentAtMs } }
        : {}),
      invocations,
      dynamo: { reads: dynamo.filter((record) => record.read).length, writes: dynamo.filter((record) => !record.read).length, byOperation },
      polls: { calls: polls.length, reads: polls.reduce((total, record) => total + (record.metrics.PollReads ?? 0), 0) },
      bedrock: input.bedrock.filter((record) => inTime(record.atMs)),
      lex: input.lex.filter((record) => inTime(record.atMs)),
      notes,
    });
  }
  return reports;
}

// ---------------------------------------------------------------------------------------------------
// Table

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Display width: East Asian wide characters take two columns. */
function width(text: string): number {
  let total = 0;
  for (const char of text) total += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return total;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ");
  if (width(flat) <= max) return flat;
  let out = "";
  for (const char of flat) {
    if (width(out + char) > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

function pad(text: string, size: number): string {
  return text + " ".repeat(Math.max(0, size - width(text)));
}

function shortName(functionName: string): string {
  return functionName.replace(/^[a-z0-9]+-[a-z0-9]+-/, "");
}

/** Lambda invocations of a turn grouped by function: `answer-poller ×4 (PENDING PENDING PENDING READY)`. */
function lambdaCell(invocations: readonly InvocationRecord[]): string {
  const groups = new Map<string, InvocationRecord[]>();
  for (const record of invocations) groups.set(record.functionName, [...(groups.get(record.functionName) ?? []), record]);
  return [...groups.entries()]
    .map(([name, records]) => {
      const outcomes = records.map((record) => (record.status === "ok" ? (record.summary ?? "ok") : record.status)).join(" ");
      const total = records.reduce((sum, record) => sum + (record.durationMs ?? 0), 0);
      return `${shortName(name)}${records.length > 1 ? ` ×${records.length}` : ""} ${seconds(total)} (${outcomes})`;
    })
    .join("; ");
}

/** The printable per-turn table of a contact. */
export function contactTable(run: ContactRun): string {
  const { trace } = run;
  const outcome = trace.outcome;
  const lines: string[] = [];
  const outcomeText =
    outcome.kind === "failed" ? `failed (${outcome.code}: ${outcome.message})` : outcome.kind === "transferred" ? `transferred to ${outcome.queue.id}` : outcome.kind;
  lines.push(
    `contact ${run.contactId} · ${run.channel} · flow ${run.flowName} · speed ${run.speed}×${run.probeRealMs !== undefined ? ` (calibrated: a host round trip and a DynamoDB read took ${run.probeRealMs} ms)` : ""} · ended ${seconds(trace.endedAtMs)}: ${outcomeText} · ${seconds(run.realMs)} real, ${seconds(run.jumpedOverMs)} jumped over while no handler ran · longest machine pause ${run.largestStallRealMs} ms real (${seconds(run.largestStallRealMs * run.speed)} of contact time)${isDisturbed(run) ? ": disturbed" : ""}`,
  );
  const header = ["turn", "sent", "customer", "answer at", "latency", "Lambda (function ×calls total time (results))", "DDB r/w", "polls/reads", "Bedrock"];
  const rows = run.turns.map((turn) => [
    String(turn.index),
    turn.customer ? seconds(turn.customer.atMs) : "-",
    turn.customer ? clip(turn.customer.text, 24) : "(start)",
    turn.answer ? seconds(turn.answer.atMs) : "-",
    turn.answer ? seconds(turn.answer.latencyMs) : "-",
    lambdaCell(turn.invocations) || "-",
    `${turn.dynamo.reads}/${turn.dynamo.writes}`,
    turn.polls.calls ? `${turn.polls.calls}/${turn.polls.reads}` : "-",
    turn.bedrock.length ? turn.bedrock.map((call) => (call.outcome === "answer" ? seconds(call.latencyMs ?? 0) : call.outcome)).join(", ") : "-",
  ]);
  const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column]))));
  const format = (row: readonly string[]) => row.map((cell, column) => pad(cell, widths[column])).join("  ").trimEnd();
  lines.push(format(header));
  lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (const [i, turn] of run.turns.entries()) {
    lines.push(format(rows[i]));
    for (const message of turn.seen) {
      const marker = turn.answer && message.atMs === turn.answer.atMs && message.text === turn.answer.text ? "=>" : "  ";
      lines.push(`      ${marker} ${pad(seconds(message.atMs), 8)} ${pad(message.from, 10)} ${clip(message.kind === "view" ? `[view] ${message.text}` : message.text, 90)}`);
    }
    for (const note of turn.notes) lines.push(`         ! ${note}`);
  }
  return lines.join("\n");
}
