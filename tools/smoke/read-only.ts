import { type ConnectClient, DescribeContactFlowCommand, DescribeQueueCommand } from "@aws-sdk/client-connect";
import type { Engine } from "../../config/schema/common";
import { botAliasOutput, OUTPUT_NAMES, resourceId, type StackOutputs } from "./outputs";

export interface ReadOnlyCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface ReadOnlyReport {
  readonly checks: readonly ReadOnlyCheck[];
  readonly passed: boolean;
}

const LEX_ALIAS_ARN = /^arn:aws[a-z-]*:lex:[a-z0-9-]+:\d{12}:bot-alias\/[0-9A-Z]{10}\/[0-9A-Z]{10}$/;

function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return `${e.name ?? "Error"}: ${e.message ?? String(error)}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ""}`;
}

/**
 * The read-only smoke test (production): starts no contact. Checks that the stack's flow, queue and bot
 * outputs exist and resolve: each flow is ACTIVE and PUBLISHED, the handoff queue exists and is ENABLED,
 * each bot alias output is a Lex bot alias ARN.
 */
export async function runReadOnlySmoke(connect: Pick<ConnectClient, "send">, outputs: StackOutputs, engines: readonly Engine[]): Promise<ReadOnlyReport> {
  const checks: ReadOnlyCheck[] = [];
  const missing = (name: string): ReadOnlyCheck => ({ name, passed: false, detail: "output missing" });
  const instanceId = outputs[OUTPUT_NAMES.instanceId];
  if (!instanceId) checks.push(missing(OUTPUT_NAMES.instanceId));
  for (const name of [OUTPUT_NAMES.chatFlowId, OUTPUT_NAMES.voiceFlowId]) {
    const value = outputs[name];
    if (!value) {
      checks.push(missing(name));
      continue;
    }
    if (!instanceId) continue;
    try {
      const flow = (await connect.send(new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: resourceId(value) }))).ContactFlow;
      const passed = flow?.State === "ACTIVE" && flow?.Status === "PUBLISHED";
      checks.push({ name, passed, detail: `flow "${flow?.Name ?? "?"}": state ${flow?.State ?? "?"}, status ${flow?.Status ?? "?"}${passed ? "" : " (expected ACTIVE, PUBLISHED)"}` });
    } catch (error) {
      checks.push({ name, passed: false, detail: `DescribeContactFlow failed: ${describeError(error)}` });
    }
  }
  const queue = outputs[OUTPUT_NAMES.handoffQueueId];
  if (!queue) checks.push(missing(OUTPUT_NAMES.handoffQueueId));
  else if (instanceId) {
    try {
      const described = (await connect.send(new DescribeQueueCommand({ InstanceId: instanceId, QueueId: resourceId(queue) }))).Queue;
      const passed = described?.Status === "ENABLED";
      checks.push({ name: OUTPUT_NAMES.handoffQueueId, passed, detail: `queue "${described?.Name ?? "?"}": status ${described?.Status ?? "?"}${passed ? "" : " (expected ENABLED)"}` });
    } catch (error) {
      checks.push({ name: OUTPUT_NAMES.handoffQueueId, passed: false, detail: `DescribeQueue failed: ${describeError(error)}` });
    }
  }
  for (const engine of engines) {
    const name = botAliasOutput(engine);
    const value = outputs[name];
    if (!value) checks.push(missing(name));
    else checks.push({ name, passed: LEX_ALIAS_ARN.test(value), detail: LEX_ALIAS_ARN.test(value) ? value : `not a Lex bot alias ARN: ${value}` });
  }
  return { checks, passed: checks.every((c) => c.passed) };
}

export function renderReadOnlyReport(report: ReadOnlyReport, environment: string): string {
  return [
    `smoke test (read-only, no contact started): contact-center-${environment}`,
    ...report.checks.map((c) => `  ${c.passed ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`),
    `result: ${report.passed ? "PASS" : "FAIL"}`,
  ].join("\n");
}
