/** What the validator reports, and the collector the rules report into. */
import type { FlowRule } from "./rules";

export type FindingSeverity = "error" | "warning";

export interface FlowFinding {
  readonly severity: FindingSeverity;
  /** The action the finding is about; absent for document-level findings. */
  readonly actionId?: string;
  readonly rule: FlowRule;
  /** What is wrong, with the value given. */
  readonly message: string;
  /** What to do instead. */
  readonly fix: string;
}

export class FindingCollector {
  readonly findings: FlowFinding[] = [];

  /** @param strict the kit's own flows: findings reported with `strictError` become errors */
  constructor(readonly strict: boolean) {}

  error(rule: FlowRule, actionId: string | undefined, message: string, fix: string): void {
    this.add("error", rule, actionId, message, fix);
  }

  warning(rule: FlowRule, actionId: string | undefined, message: string, fix: string): void {
    this.add("warning", rule, actionId, message, fix);
  }

  /** An error on the kit's own flows, a warning on foreign ones (the service accepts it, but it is a smell). */
  strictError(rule: FlowRule, actionId: string | undefined, message: string, fix: string): void {
    this.add(this.strict ? "error" : "warning", rule, actionId, message, fix);
  }

  private add(severity: FindingSeverity, rule: FlowRule, actionId: string | undefined, message: string, fix: string): void {
    this.findings.push({ severity, ...(actionId !== undefined ? { actionId } : {}), rule, message, fix });
  }
}

/** One line: `error [rule] action "id": message (fix: ...)`. */
export function formatFinding(finding: FlowFinding): string {
  const where = finding.actionId !== undefined ? ` action ${JSON.stringify(finding.actionId)}` : "";
  return `${finding.severity} [${finding.rule}]${where}: ${finding.message} (fix: ${finding.fix})`;
}
