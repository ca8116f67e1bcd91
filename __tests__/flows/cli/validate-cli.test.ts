import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../flows/cli/validate";
import { corpusDocument, FIXTURES } from "../language/support/corpus";
import { firstOf, mutable } from "../language/support/mutable-flow";

const ROOT = join(__dirname, "../../..");
const CLI = join(ROOT, "flows/cli/validate.ts");
const TSX = require.resolve("tsx/cli");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI as a user would: node + tsx from node_modules. */
function run(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSX, CLI, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("flows/cli/validate.ts", () => {
  const dir = mkdtempSync(join(tmpdir(), "flow-cli-"));
  const good = join(FIXTURES, "examples/bankid-auth-lambda-loop.json");
  const bad = join(dir, "bad-loop.json");
  const unparsable = join(dir, "broken.json");
  const flow = mutable(corpusDocument("bankid-auth-lambda-loop.json"));
  const loop = firstOf(flow, "Loop");
  loop.Parameters.LoopCount = "101";
  writeFileSync(bad, JSON.stringify({ Name: "bad", Type: "CONTACT_FLOW", Content: JSON.stringify(flow) }));
  writeFileSync(unparsable, "{ not json");

  let results: Run[];
  beforeAll(async () => {
    // Spawned as a user would run it, in parallel (each run starts Node with tsx).
    results = await Promise.all([run(["--channel", "voice", "--type", "CONTACT_FLOW", "--strict", good]), run(["--channel", "voice", good, bad])]);
  }, 60_000);

  /** The other exit paths, run in-process through the same entry point. */
  function runInProcess(args: readonly string[]): Run {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = main(args, (line) => stdout.push(line), (line) => stderr.push(line));
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a good file: ok, a summary line, exit 0", () => {
    const [result] = results;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${good}: ok\n1 file checked: 0 with errors, 0 errors, 0 warnings\n`);
  });

  test("a bad wrapper file: one line per finding, a summary, exit 1", () => {
    const result = results[1];
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toContain(`${good}: ok`);
    expect(lines).toContain(
      `${bad}: error [loop-count] action "${loop.Identifier}": LoopCount is "101"; allowed: 0-100 (fix: set LoopCount to a whole number from 0 to 100; for more rounds, nest loops or keep a counter attribute)`,
    );
    expect(lines[lines.length - 1]).toBe("2 files checked: 1 with errors, 1 error, 0 warnings");
  });

  test("unparsable input: exit 2 with the reason", () => {
    const result = runInProcess([unparsable, good]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${unparsable}: unparsable: the input is not JSON`);
    expect(result.stdout).toContain("1 unreadable");
  });

  test("bad usage: exit 2 with what is allowed", () => {
    const result = runInProcess(["--channel", "fax", good]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--channel is "fax"; allowed: chat, voice, both');
    expect(result.stderr).toContain("usage: npx tsx flows/cli/validate.ts");
    expect(runInProcess([]).stderr).toContain("no file given");
    expect(runInProcess(["--type", "inbound", good]).stderr).toContain('--type is "INBOUND"; allowed: CONTACT_FLOW');
    expect(runInProcess(["--verbose", good]).stderr).toContain("unknown option --verbose");
  });

  test("the wrapper's Type is the flow type unless --type is given", () => {
    const whisper = join(FIXTURES, "corpus/aws-samples__amazon-connect-gitlab-cicd-terraform__imports_resources_flows_acme_agent_whisper_AUTO.json");
    expect(runInProcess([whisper]).code).toBe(0);
    const asContactFlow = runInProcess(["--type", "CONTACT_FLOW", whisper]);
    expect(asContactFlow.code).toBe(1);
    expect(asContactFlow.stdout).toContain("error [flow-type-action]");
  });
});
