import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, parseEnvironment } from "../../config/load";
import { type FlowChannel, type FlowDocument, validateFlow } from "../../flows/language";
import { contactFlowsIn } from "../../stacks/flows/contact-flow";
import { defaultEnvironment, referenceTo, resourceAt, resourcesOfType, type SynthesizedStack, synthEnvironment, type TerraformJson } from "../support/synth";
import { sampled } from "../support/token-samples";

const envs: Record<string, SynthesizedStack> = {};
beforeAll(() => {
  for (const name of ["dev", "stg", "prod"]) envs[name] = synthEnvironment(defaultEnvironment(name));
});

/** The Terraform address (`type.name`) of the resource at a construct path, as `depends_on` lists it. */
const addressAt = (json: TerraformJson, type: string, pathSuffix: string) => referenceTo(json, type, pathSuffix, "id").slice(2, -".id}".length);
const flowResource = (json: TerraformJson, name: "chat" | "voice") => resourceAt(json, "aws_connect_contact_flow", `flows/${name}/flow`);
const CHANNELS: Record<string, FlowChannel> = { chat: "CHAT", voice: "VOICE" };

describe.each(["dev", "stg", "prod"])("%s: contact flows", (name) => {
  test("chat, voice and agent-UI flows are inbound flows whose content, with references filled in, is valid flow JSON", () => {
    const { stack, json } = envs[name];
    const flows = resourcesOfType(json, "aws_connect_contact_flow");
    expect(Object.values(flows).map((f) => [f.name, f.type]).sort()).toEqual([
      [`cc-${name}-agent-ui`, "CONTACT_FLOW"],
      [`cc-${name}-chat`, "CONTACT_FLOW"],
      [`cc-${name}-voice`, "CONTACT_FLOW"],
    ]);
    for (const flow of contactFlowsIn(stack)) {
      const document = sampled(flow, flow.document) as FlowDocument;
      const channels: FlowChannel[] = [CHANNELS[flow.name] ?? "CHAT"];
      expect({ flow: flow.name, findings: validateFlow(document, { strict: true, flowType: "CONTACT_FLOW", channels }) }).toEqual({ flow: flow.name, findings: [] });
    }
    // What Terraform receives is the same document, tokens as interpolations.
    const chat = flowResource(json, "chat");
    expect(() => JSON.parse(chat.content.replace(/\$\{[^}]+\}/g, "x"))).not.toThrow();
    expect(JSON.parse(chat.content.replace(/\$\{[^}]+\}/g, "x")).StartAction).toBe("set-logging");
  });

  test("each customer flow talks to its channel's bot alias and waits for the associations it uses", () => {
    const { stack, json } = envs[name];
    const engines = { chat: stack.bots.chat.engine, voice: stack.bots.voice.engine };
    for (const channel of ["chat", "voice"] as const) {
      const flow = flowResource(json, channel);
      const alias = `jsondecode(${referenceTo(json, "aws_cloudcontrolapi_resource", `${engines[channel]}-bot/alias/resource`, "properties").slice(2, -1)}).Arn`;
      expect(flow.content).toContain(`"AliasArn":"\${${alias}}"`);
      expect(flow.depends_on).toContain(addressAt(json, "aws_cloudcontrolapi_resource", `integrations/${engines[channel]}-lex-bot/resource`));
      if (engines[channel] === "q-in-connect") {
        expect(flow.depends_on).toContain(addressAt(json, "aws_cloudcontrolapi_resource", "integrations/wisdom-assistant/resource"));
        expect(flow.depends_on).toContain(addressAt(json, "aws_connect_lambda_function_association", "q-in-connect/session-connect-association"));
      }
      if (channel === "chat" && stack.bridge?.poller) {
        expect(flow.depends_on).toContain(addressAt(json, "aws_connect_lambda_function_association", "bedrock-bridge/poller-connect-association"));
      }
    }
  });

  test("every function a flow invokes is associated with the instance", () => {
    const { json } = envs[name];
    const associated = Object.values(resourcesOfType(json, "aws_connect_lambda_function_association")).map((a) => a.function_arn);
    const invoked = Object.values(resourcesOfType(json, "aws_connect_contact_flow")).flatMap((f) =>
      [...String(f.content).matchAll(/"LambdaFunctionARN":"(\$\{[^}]+\})"/g)].map((m) => m[1]),
    );
    expect(invoked.length).toBeGreaterThan(0);
    for (const arn of invoked) expect(associated).toContain(arn);
  });

  test("outputs give the flow ids and ARNs, the agent view and the handoff queue", () => {
    const outputs = Object.keys(envs[name].json.output);
    for (const output of ["chat-flow-id", "chat-flow-arn", "voice-flow-id", "voice-flow-arn", "agent-ui-flow-id", "agent-ui-flow-arn", "agent-view-arn", "handoff-queue-id"]) {
      expect(outputs).toContain(output);
    }
  });
});

describe("where handed-off contacts go", () => {
  test("a created instance gets hours, a queue and a routing profile serving it on voice and chat; the flows transfer there", () => {
    const { json } = envs.dev;
    const queue = resourceAt(json, "aws_connect_queue", "flows/handoff-queue/queue");
    expect(queue).toMatchObject({ name: "cc-dev-handoff", hours_of_operation_id: referenceTo(json, "aws_connect_hours_of_operation", "handoff-queue/hours", "hours_of_operation_id") });
    const hours = resourceAt(json, "aws_connect_hours_of_operation", "handoff-queue/hours");
    expect(hours.time_zone).toBe("Asia/Tokyo");
    expect(hours.config).toHaveLength(7);
    const profile = resourceAt(json, "aws_connect_routing_profile", "handoff-queue/routing-profile");
    const queueId = referenceTo(json, "aws_connect_queue", "handoff-queue/queue", "queue_id");
    expect(profile.default_outbound_queue_id).toBe(queueId);
    expect(profile.queue_configs.map((c: TerraformJson) => c.channel).sort()).toEqual(["CHAT", "VOICE"]);
    expect(flowResource(json, "chat").content).toContain(`"QueueId":"${referenceTo(json, "aws_connect_queue", "handoff-queue/queue", "arn")}"`);
  });

  test("an existing instance uses the configured queue and creates none", () => {
    const { json } = envs.prod;
    expect(resourcesOfType(json, "aws_connect_queue")).toEqual({});
    expect(resourcesOfType(json, "aws_connect_routing_profile")).toEqual({});
    expect(flowResource(json, "voice").content).toMatch(/"QueueId":"\$\{data\.aws_connect_instance\.[\w-]+\.arn\}\/queue\/4f6b2a1e-8c3d-4e5f-9a0b-1c2d3e4f5a6b"/);
  });

  test("the queue is required with an existing instance and refused with a created one, naming the field", () => {
    const prod = JSON.parse(JSON.stringify(defaultEnvironment("prod")));
    delete prod.flows.handoff.queueId;
    expect(() => parseEnvironment(prod, "prod.json")).toThrow(ConfigError);
    expect(() => parseEnvironment(prod, "prod.json")).toThrow(/flows\.handoff\.queueId: connect\.mode is "existing"/);
    const dev = JSON.parse(JSON.stringify(defaultEnvironment("dev")));
    dev.flows.handoff.queueId = "4f6b2a1e-8c3d-4e5f-9a0b-1c2d3e4f5a6b";
    expect(() => parseEnvironment(dev, "dev.json")).toThrow(/flows\.handoff\.queueId: connect\.mode is "create"/);
  });
});

test("synth writes each flow as a Mermaid diagram next to its stack", () => {
  const { stack, stackDir } = envs.dev;
  for (const flow of contactFlowsIn(stack)) {
    const file = path.join(stackDir, `${flow.name}.mmd`);
    expect(fs.readFileSync(file, "utf8")).toBe(`${flow.mermaid()}\n`);
  }
  expect(fs.readFileSync(path.join(stackDir, "chat.mmd"), "utf8")).toMatch(/^flowchart /);
});

test("dev claims a phone number and points it at the voice flow", () => {
  const { json } = envs.dev;
  const number = Object.values(resourcesOfType(json, "aws_connect_phone_number"));
  expect(number).toHaveLength(1);
  expect(number[0]).toMatchObject({ country_code: "JP", type: "DID" });
  expect(Object.keys(json.output)).toContain("voice-phone-number-id");
  expect(resourcesOfType(envs.stg.json, "aws_connect_phone_number")).toEqual({});
});
