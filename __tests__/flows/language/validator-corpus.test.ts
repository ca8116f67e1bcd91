import { formatFinding, validateFlow } from "../../../flows/language";
import { loadCorpus } from "./support/corpus";

const corpus = loadCorpus();
const FINANCIAL = "aws-samples__amazon-connect-step-by-step-guides-module-library__examples_Financial_contactFlow.json";

describe("the validator accepts every published flow (no errors)", () => {
  test("the fixture set is complete: 55 corpus flows and 2 examples", () => {
    expect(corpus.filter((f) => f.dir === "corpus")).toHaveLength(55);
    expect(corpus.filter((f) => f.dir === "examples")).toHaveLength(2);
  });

  test.each(corpus.map((f) => [`${f.dir}/${f.file}`, f] as const))("%s", (_name, flow) => {
    const findings = validateFlow(flow.document, { channels: flow.channels, flowType: flow.flowType, content: flow.content });
    expect(findings.filter((f) => f.severity === "error").map(formatFinding)).toEqual([]);
  });

  test("the one flow with an orphan action gets a warning, and an error in strict mode", () => {
    const flow = corpus.find((f) => f.file === FINANCIAL);
    if (!flow) throw new Error("missing fixture");
    const orphan = { rule: "unreachable-action", actionId: "61f4731f-eabe-4d1d-835c-a35956299244" };
    const options = { channels: flow.channels, flowType: flow.flowType };
    expect(validateFlow(flow.document, options)).toContainEqual(expect.objectContaining({ ...orphan, severity: "warning" }));
    expect(validateFlow(flow.document, { ...options, strict: true })).toContainEqual(expect.objectContaining({ ...orphan, severity: "error" }));
  });

  test("corpus flows validated with unknown channel and type also pass", () => {
    for (const flow of corpus) {
      const errors = validateFlow(flow.document).filter((f) => f.severity === "error");
      expect({ file: flow.file, errors }).toEqual({ file: flow.file, errors: [] });
    }
  });
});
