import { AgentView } from "../../stacks/flows/agent-view";
import { VoicePhoneNumber } from "../../stacks/flows/phone-number";
import { HANDOFF_VIEW_KEYS, viewDataKeysOf } from "../../flows/agent-view";
import { planEnvironment, type PlannedStack } from "../support/plan-suite";
import { defaultEnvironment } from "../support/synth";

// prod uses an existing instance, so the view's desired state is fully known at plan time and the real
// provider validates it against the AWS::Connect::View schema served by the loopback DescribeType.
describe("terraform plan of the agent view and the voice phone number (prod, existing instance)", () => {
  let planned: PlannedStack;

  beforeAll(async () => {
    planned = await planEnvironment(defaultEnvironment("prod"), (stack) => {
      const agentView = new AgentView(stack, "probe-agent-view", { instance: stack.instance, locale: "ja_JP", timeoutSeconds: 300 });
      new VoicePhoneNumber(stack, "probe-claimed-number", {
        instance: stack.instance,
        config: { mode: "claim", countryCode: "JP", type: "DID", prefix: "+8150" },
        flow: agentView,
      });
      new VoicePhoneNumber(stack, "probe-existing-number", {
        instance: stack.instance,
        config: { mode: "existing", phoneNumberId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
        flow: agentView,
      });
    });
  }, 600_000);

  afterAll(async () => {
    await planned?.endpoint.close();
  });

  test("the plan succeeds and makes only calls the harness serves", () => {
    expect(planned.plan.stderr).toBe("");
    expect(planned.plan.code).toBe(0);
    expect(planned.endpoint.unknown).toEqual([]);
  });

  test("the view's desired state was validated against its schema at plan time", () => {
    expect(planned.endpoint.calls).toContainEqual({ service: "cloudformation", action: "DescribeType", detail: "AWS::Connect::View" });
    const change = planned.planJson?.resource_changes.find(
      (c: { type: string; change: { after: { type_name?: string } } }) => c.type === "aws_cloudcontrolapi_resource" && c.change.after.type_name === "AWS::Connect::View",
    );
    const state = JSON.parse(change.change.after.desired_state);
    expect(state).toMatchObject({ Name: "cc-prod-handoff-summary", Actions: [], InstanceArn: expect.stringMatching(/^arn:aws:connect:ap-northeast-1:\d{12}:instance\//) });
    expect(viewDataKeysOf(state.Template)).toEqual([...HANDOFF_VIEW_KEYS].sort());
  });

  test("the claimed number, the agent-UI flow and both associations are planned", () => {
    const probes = (planned.planJson?.resource_changes ?? []).filter((c: { address: string }) => c.address.includes("probe-"));
    const types = probes.map((c: { type: string }) => c.type);
    expect(types.filter((t: string) => t === "aws_connect_phone_number")).toHaveLength(1);
    expect(types.filter((t: string) => t === "aws_connect_contact_flow")).toHaveLength(1);
    expect(types.filter((t: string) => t === "aws_lambda_invocation")).toHaveLength(2);
    const flow = planned.planJson?.resource_changes.find((c: { type: string }) => c.type === "aws_connect_contact_flow");
    expect(flow.change.after).toMatchObject({ type: "CONTACT_FLOW", name: "cc-prod-agent-ui" });
  });
});
