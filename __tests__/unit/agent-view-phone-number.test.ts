import { Aspects, TerraformStack, Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { handoffViewData, HANDOFF_VIEW_KEYS, viewDataKeysOf } from "../../flows/agent-view";
import { validateFlow } from "../../flows/language";
import { KitContext } from "../../stacks/context";
import { AgentView } from "../../stacks/flows/agent-view";
import type { PhoneNumberConfig } from "../../config/schema/flows";
import { VoicePhoneNumber } from "../../stacks/flows/phone-number";
import { LeastPrivilegeCheck } from "../../stacks/policy/least-privilege-check";
import { RequiredTagsCheck } from "../../stacks/policy/required-tags-check";
import { resolveInStack } from "../../stacks/resolve";
import { schemaErrors } from "../support/cfn-schema-validator";
import { defaultEnvironment, type TerraformJson } from "../support/synth";
import { CLOUD_CONTROL_SAMPLES, sampledDesiredState } from "../support/token-samples";

const INSTANCE_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const INSTANCE_ARN = `arn:aws:connect:ap-northeast-1:111122223333:instance/${INSTANCE_ID}`;
const INSTANCE = { instanceId: INSTANCE_ID, instanceArn: INSTANCE_ARN };
const FLOW = { flowId: "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", flowArn: `${INSTANCE_ARN}/contact-flow/2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f` };
const EXISTING_NUMBER = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

function checkedStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "flows-test");
  KitContext.attach(stack, defaultEnvironment("dev"));
  Aspects.of(stack).add(new LeastPrivilegeCheck());
  Aspects.of(stack).add(new RequiredTagsCheck());
  return stack;
}

/** Synthesizes and returns the JSON and the policy Aspects' error annotations. */
function synth(stack: TerraformStack): { json: TerraformJson; errors: string[] } {
  const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
  const errors: string[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) if (entry.type === "@cdktf/error") errors.push(String(entry.data));
    node.node.children.forEach(visit);
  };
  visit(stack);
  return { json, errors };
}

function only(json: TerraformJson, type: string, name?: string): [string, TerraformJson] {
  const entries = Object.entries((json.resource?.[type] ?? {}) as Record<string, TerraformJson>).filter(([, r]) => !name || r.type_name === name);
  expect(entries).toHaveLength(1);
  return entries[0];
}

describe("AgentView", () => {
  const stack = checkedStack();
  const agentView = new AgentView(stack, "agent-view", { instance: INSTANCE, locale: "ja_JP", timeoutSeconds: 420 });
  const { json, errors } = synth(stack);
  const [viewAddress, view] = only(json, "aws_cloudcontrolapi_resource", "AWS::Connect::View");
  const [, version] = only(json, "aws_cloudcontrolapi_resource", "AWS::Connect::ViewVersion");
  const [, flow] = only(json, "aws_connect_contact_flow");
  const attributeOf = (address: string, attribute: string) => `\${jsondecode(aws_cloudcontrolapi_resource.${address}.properties).${attribute}}`;

  test("the view: named <prefix>-<env>-handoff-summary, display only (Actions []), the template's keys, tagged", () => {
    const state = JSON.parse(view.desired_state);
    expect(state).toMatchObject({ InstanceArn: INSTANCE_ARN, Name: "cc-dev-handoff-summary", Actions: [] });
    expect(viewDataKeysOf(state.Template)).toEqual([...HANDOFF_VIEW_KEYS].sort());
    expect(state.Template.Head.Title).toBe("AIアシスタントからの引き継ぎ");
    expect(state.Tags.map((t: { Key: string }) => t.Key)).toEqual(expect.arrayContaining(["project", "environment", "managed-by"]));
  });

  test("the version: the view's ARN and content hash, replaced (created first) when the view changes", () => {
    const state = JSON.parse(version.desired_state);
    expect(state.ViewArn).toBe(attributeOf(viewAddress, "ViewArn"));
    expect(state.ViewContentSha256).toBe(attributeOf(viewAddress, "ViewContentSha256"));
    expect(version.lifecycle).toEqual({ create_before_destroy: true, replace_triggered_by: [`aws_cloudcontrolapi_resource.${viewAddress}`] });
  });

  test("view and version desired states are valid for their CloudFormation schemas", () => {
    expect(schemaErrors("AWS::Connect::View", sampledDesiredState(agentView.view))).toEqual([]);
    expect(schemaErrors("AWS::Connect::ViewVersion", sampledDesiredState(agentView.version))).toEqual([]);
  });

  test("the agent-UI flow: a CONTACT_FLOW named <prefix>-<env>-agent-ui whose ShowView shows the published version", () => {
    expect(flow).toMatchObject({ type: "CONTACT_FLOW", name: "cc-dev-agent-ui", instance_id: INSTANCE_ID });
    const versionAddress = Object.entries(json.resource.aws_cloudcontrolapi_resource as Record<string, TerraformJson>).find(([, r]) => r === version)![0];
    const reference = attributeOf(versionAddress, "ViewVersionArn");
    expect(flow.content).toContain(JSON.stringify(reference));
    // Terraform fills the reference in; with a sample ARN in its place the content is a valid flow.
    const sampleArn = CLOUD_CONTROL_SAMPLES["AWS::Connect::ViewVersion"].ViewVersionArn;
    const content = JSON.parse(flow.content.split(reference).join(sampleArn));
    expect(validateFlow(content, { strict: true, flowType: "CONTACT_FLOW", channels: ["CHAT"] })).toEqual([]);
    const show = content.Actions.find((a: { Type: string }) => a.Type === "ShowView");
    expect(show.Parameters).toEqual({ ViewResource: { Id: sampleArn }, InvocationTimeLimitSeconds: "420", ViewData: handoffViewData() });
  });

  test("exposes the ARNs and the document; passes the policy checks", () => {
    expect(resolveInStack(stack, agentView.viewArn)).toBe(attributeOf(viewAddress, "ViewArn"));
    expect(resolveInStack(stack, agentView.viewVersionArn)).toMatch(/\.ViewVersionArn\}$/);
    expect(resolveInStack(stack, agentView.flowArn)).toMatch(/^\$\{aws_connect_contact_flow\.[\w-]+\.arn\}$/);
    expect(resolveInStack(stack, agentView.flowId)).toMatch(/^\$\{aws_connect_contact_flow\.[\w-]+\.contact_flow_id\}$/);
    expect(agentView.document.Actions.map((a) => a.Type)).toEqual(["UpdateFlowLoggingBehavior", "ShowView", "DisconnectParticipant"]);
    expect(errors).toEqual([]);
  });

  test("a name suffix names the view and the flow", () => {
    const named = checkedStack();
    new AgentView(named, "agent-view", { instance: INSTANCE, locale: "en_US", timeoutSeconds: 60, name: "escalation" });
    const out = synth(named).json;
    expect(JSON.parse(only(out, "aws_cloudcontrolapi_resource", "AWS::Connect::View")[1].desired_state).Name).toBe("cc-dev-escalation");
    expect(only(out, "aws_connect_contact_flow")[1].name).toBe("cc-dev-escalation-agent-ui");
  });
});

describe("VoicePhoneNumber", () => {
  function build(config: PhoneNumberConfig) {
    const stack = checkedStack();
    const number = new VoicePhoneNumber(stack, "voice-number", { instance: INSTANCE, config, flow: FLOW });
    return { stack, number, ...synth(stack) };
  }

  test("claim: a number claimed for the instance (tags from default_tags), pointed at the flow by the custom resource", () => {
    const { stack, number, json, errors } = build({ mode: "claim", countryCode: "JP", type: "TOLL_FREE", prefix: "+81120" });
    const [address, claimed] = only(json, "aws_connect_phone_number");
    expect(claimed).toEqual(
      expect.objectContaining({ target_arn: INSTANCE_ARN, country_code: "JP", type: "TOLL_FREE", prefix: "+81120", description: "Voice entry of the dev contact center" }),
    );
    expect(claimed.tags).toBeUndefined();
    expect(resolveInStack(stack, number.association.input)).toEqual({
      instanceId: INSTANCE_ID,
      phoneNumberId: `\${aws_connect_phone_number.${address}.id}`,
      contactFlowId: FLOW.flowId,
    });
    expect(resolveInStack(stack, number.phoneNumber)).toBe(`\${aws_connect_phone_number.${address}.phone_number}`);
    expect(resolveInStack(stack, number.phoneNumberId)).toBe(`\${aws_connect_phone_number.${address}.id}`);
    const [, invocation] = only(json, "aws_lambda_invocation");
    expect(invocation).toMatchObject({ lifecycle_scope: "CRUD", terraform_key: "tf" });
    expect(resolveInStack(stack, number.association.function.role.policyStatements)).toEqual([
      expect.objectContaining({ sid: "WriteOwnLogs" }),
      { sid: "AssociateNumberWithFlow", actions: ["connect:AssociatePhoneNumberContactFlow"], resources: [`\${aws_connect_phone_number.${address}.arn}`, FLOW.flowArn] },
      {
        sid: "DisassociateNumberFromFlow",
        actions: ["connect:DisassociatePhoneNumberContactFlow"],
        resources: ["arn:aws:connect:ap-northeast-1:${data.aws_caller_identity.caller-identity.account_id}:phone-number/*"],
      },
    ]);
    expect(errors).toEqual([]);
  });

  test("claim: type and prefix are optional in the config (DID by default)", () => {
    const { json } = build({ mode: "claim", countryCode: "US", type: "DID" });
    const [, claimed] = only(json, "aws_connect_phone_number");
    expect(claimed).toMatchObject({ country_code: "US", type: "DID" });
    expect(claimed.prefix).toBeUndefined();
  });

  test("existing: no claim, only the association, scoped to that number's ARN", () => {
    const { stack, number, json, errors } = build({ mode: "existing", phoneNumberId: EXISTING_NUMBER });
    expect(json.resource.aws_connect_phone_number).toBeUndefined();
    expect(number.phoneNumber).toBeUndefined();
    expect(number.phoneNumberId).toBe(EXISTING_NUMBER);
    const numberArn = `arn:aws:connect:ap-northeast-1:\${data.aws_caller_identity.caller-identity.account_id}:phone-number/${EXISTING_NUMBER}`;
    expect(resolveInStack(stack, number.phoneNumberArn)).toBe(numberArn);
    expect(resolveInStack(stack, number.association.input)).toEqual({ instanceId: INSTANCE_ID, phoneNumberId: EXISTING_NUMBER, contactFlowId: FLOW.flowId });
    const statements = resolveInStack(stack, number.association.function.role.policyStatements);
    expect(statements.find((s) => s.sid === "AssociateNumberWithFlow")).toEqual({
      sid: "AssociateNumberWithFlow",
      actions: ["connect:AssociatePhoneNumberContactFlow"],
      resources: [numberArn, FLOW.flowArn],
    });
    for (const s of statements) for (const action of s.actions) expect(action).not.toMatch(/\*/);
    expect(errors).toEqual([]);
  });

  test("the handler is bundled from functions/phone-number-flow with the custom resource's timeout", () => {
    const { json } = build({ mode: "existing", phoneNumberId: EXISTING_NUMBER });
    const [, fn] = only(json, "aws_lambda_function");
    expect(fn).toMatchObject({ function_name: "cc-dev-phone-number-flow", timeout: 180, runtime: "nodejs22.x" });
  });
});
