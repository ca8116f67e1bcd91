/**
 * Validates Amazon Connect flow files: flow documents, `{Name, Type, Content}` wrappers or
 * `describe-contact-flow` output.
 *
 *   npx tsx flows/cli/validate.ts [--channel chat|voice|both] [--type CONTACT_FLOW] [--strict] <file...>
 *
 * Prints each finding as `file: error [rule] action "id": message (fix: ...)` and a summary line.
 * Exit code: 0 no errors, 1 a file has an error, 2 bad usage or an unreadable/unparsable file.
 */
import { readFileSync } from "node:fs";
// Deep imports: the validator does not need the builder (and its cdktf dependency), so the CLI starts faster.
import { FlowReadError, readFlow } from "../language/read-flow";
import { formatFinding } from "../language/validate/findings";
import { validateFlow } from "../language/validate/validate-flow";
import { type FlowChannel, FLOW_TYPES, type FlowType, isFlowType } from "../language/wire";

const USAGE = "usage: npx tsx flows/cli/validate.ts [--channel chat|voice|both] [--type <flow type>] [--strict] <file...>";

const CHANNELS: Readonly<Record<string, readonly FlowChannel[]>> = { chat: ["CHAT"], voice: ["VOICE"], both: ["CHAT", "VOICE"] };

interface CliOptions {
  readonly channels?: readonly FlowChannel[];
  readonly flowType?: FlowType;
  readonly strict: boolean;
  readonly files: readonly string[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): CliOptions {
  let channels: readonly FlowChannel[] | undefined;
  let flowType: FlowType | undefined;
  let strict = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--channel") {
      const given = value();
      channels = CHANNELS[given.toLowerCase()];
      if (!channels) throw new UsageError(`--channel is "${given}"; allowed: chat, voice, both`);
    } else if (arg === "--type") {
      const given = value().toUpperCase();
      if (!isFlowType(given)) throw new UsageError(`--type is "${given}"; allowed: ${FLOW_TYPES.join(", ")}`);
      flowType = given;
    } else if (arg === "--strict") {
      strict = true;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new UsageError("no file given");
  return { channels, flowType, strict, files };
}

/** Runs the command; returns the exit code. */
export function main(argv: readonly string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message}\n${USAGE}`);
    return 2;
  }
  let unreadable = 0;
  let filesWithErrors = 0;
  let errors = 0;
  let warnings = 0;
  for (const file of options.files) {
    let read;
    try {
      read = readFlow(readFileSync(file, "utf8"));
    } catch (error) {
      unreadable++;
      err(`${file}: ${error instanceof FlowReadError ? "unparsable" : "unreadable"}: ${(error as Error).message}`);
      continue;
    }
    const flowType = options.flowType ?? (read.flowType !== undefined && isFlowType(read.flowType) ? read.flowType : undefined);
    const findings = validateFlow(read.document, { channels: options.channels, flowType, strict: options.strict, content: read.content });
    const fileErrors = findings.filter((f) => f.severity === "error").length;
    errors += fileErrors;
    warnings += findings.length - fileErrors;
    if (fileErrors > 0) filesWithErrors++;
    if (findings.length === 0) out(`${file}: ok`);
    for (const finding of findings) out(`${file}: ${formatFinding(finding)}`);
  }
  const total = options.files.length;
  out(
    `${total} file${total === 1 ? "" : "s"} checked: ${filesWithErrors} with errors, ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}` +
      (unreadable > 0 ? `, ${unreadable} unreadable` : ""),
  );
  if (unreadable > 0) return 2;
  return filesWithErrors > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
