import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FlowReadError, readFlow } from "../../../flows/language";
import { FIXTURES } from "./support/corpus";

const text = (path: string) => readFileSync(join(FIXTURES, path), "utf8");

describe("reading flows in every published shape", () => {
  test("a flow document: content is the file text", () => {
    const file = text("examples/bankid-auth-lambda-loop.json");
    const read = readFlow(file);
    expect(read.shape).toBe("flow");
    expect(read.content).toBe(file);
    expect((read.document as { Version: string }).Version).toBe("2019-10-30");
    expect(read.flowType).toBeUndefined();
  });

  test("a {Name, Type, Content} wrapper: Content is parsed, Type is the flow type", () => {
    const read = readFlow(text("corpus/aws-samples__amazon-connect-gitlab-cicd-terraform__imports_resources_flows_acme_agent_whisper_AUTO.json"));
    expect(read.shape).toBe("wrapper");
    expect(read.flowType).toBe("AGENT_WHISPER");
    expect(typeof read.name).toBe("string");
    expect((read.document as { Actions: unknown[] }).Actions).toHaveLength(2);
  });

  test("describe-contact-flow output: ContactFlow.Content is parsed", () => {
    const read = readFlow(text("corpus/aws-samples__amazon-q-in-connect-s3-integration-template__components_2-amazon-q-connect-contact-flow_RealtimeAgentAssistFlow-Template.json"));
    expect(read.shape).toBe("describe");
    expect(read.flowType).toBe("CONTACT_FLOW");
    expect((read.document as { Actions: unknown[] }).Actions).toHaveLength(9);
  });

  test("an already parsed value and an object Content work too", () => {
    const doc = { Version: "2019-10-30", StartAction: "a", Actions: [] };
    expect(readFlow(doc)).toEqual({ document: doc, content: JSON.stringify(doc), shape: "flow" });
    expect(readFlow({ Name: "n", Content: doc }).document).toEqual(doc);
  });

  test("unreadable input names what is wrong", () => {
    expect(() => readFlow("{not json")).toThrow(FlowReadError);
    expect(() => readFlow("{not json")).toThrow(/the input is not JSON/);
    expect(() => readFlow({ ContactFlow: { Name: "x" } })).toThrow("ContactFlow.Content is missing; expected the flow JSON as a string");
    expect(() => readFlow({ Name: "x", Content: "nope" })).toThrow(/Content is not JSON/);
  });
});
