/**
 * The published flows in __tests__/fixtures/connect-flows, with the channel and flow type their index
 * gives. Ambiguous entries ("both", "task", "CUSTOMER_HOLD/AGENT_HOLD") are left unknown, and the
 * wrapper's own Type is used when the file has one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FlowChannel, type FlowDocument, type FlowType, isFlowType, readFlow } from "../../../../flows/language";

export const FIXTURES = join(__dirname, "../../../fixtures/connect-flows");

export interface CorpusFlow {
  readonly dir: "corpus" | "examples";
  readonly file: string;
  readonly path: string;
  readonly document: FlowDocument;
  readonly content: string;
  readonly channels: readonly FlowChannel[] | undefined;
  readonly flowType: FlowType | undefined;
}

function channelsOf(cell: string): FlowChannel[] | undefined {
  const text = cell.trim().toLowerCase();
  if (text.startsWith("voice")) return ["VOICE"];
  if (text.startsWith("chat")) return ["CHAT"];
  return undefined;
}

function flowTypeOf(cell: string): FlowType | undefined {
  const first = cell.trim().split(/\s/)[0];
  return isFlowType(first) ? first : undefined;
}

function indexRows(): Map<string, { channels?: FlowChannel[]; flowType?: FlowType }> {
  const rows = new Map<string, { channels?: FlowChannel[]; flowType?: FlowType }>();
  for (const line of readFileSync(join(FIXTURES, "corpus/INDEX.md"), "utf8").split("\n")) {
    const cells = line.split(" | ");
    if (!/^\| \d+$/.test(cells[0] ?? "")) continue;
    const file = cells[1].replace(/`/g, "").trim();
    rows.set(file, { channels: channelsOf(cells[9]), flowType: flowTypeOf(cells[10]) });
  }
  return rows;
}

/** The two examples are described in prose; these are their channel and type. */
const EXAMPLES: Record<string, { channels?: FlowChannel[]; flowType?: FlowType }> = {
  "acme-main-lex-lambda.describe.json": { flowType: "CONTACT_FLOW" },
  "bankid-auth-lambda-loop.json": { channels: ["VOICE"], flowType: "CONTACT_FLOW" },
};

let loaded: readonly CorpusFlow[] | undefined;

/** Every fixture flow, read once per test file. */
export function loadCorpus(): readonly CorpusFlow[] {
  loaded ??= readCorpus();
  return loaded;
}

function readCorpus(): CorpusFlow[] {
  const index = indexRows();
  const flows: CorpusFlow[] = [];
  for (const dir of ["corpus", "examples"] as const) {
    for (const file of readdirSync(join(FIXTURES, dir)).filter((f) => !f.endsWith(".md")).sort()) {
      const path = join(FIXTURES, dir, file);
      const read = readFlow(readFileSync(path, "utf8"));
      const meta = dir === "corpus" ? index.get(file) : EXAMPLES[file];
      if (!meta) throw new Error(`${dir}/${file} is not described in the fixture index`);
      const wrapperType = read.flowType !== undefined && isFlowType(read.flowType) ? read.flowType : undefined;
      flows.push({
        dir,
        file,
        path,
        document: read.document as FlowDocument,
        content: read.content,
        channels: meta.channels,
        flowType: wrapperType ?? meta.flowType,
      });
    }
  }
  return flows;
}

/** A deep copy of a corpus flow's document, to mutate in a test. */
export function corpusDocument(name: string): FlowDocument {
  const flow = loadCorpus().find((f) => f.file.includes(name));
  if (!flow) throw new Error(`no corpus flow matches ${name}`);
  return JSON.parse(JSON.stringify(flow.document)) as FlowDocument;
}
