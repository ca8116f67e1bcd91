import { handler } from "../../../functions/qconnect-session";
import { handlerFor, TARGETS } from "../../support/built-bundle";
import { awsError, FakeAwsJsonServer, ok, useFakeAwsJsonServer } from "../../support/fake-aws-json-server";
import { AGENT_CHAT, AGENT_VOICE, ASSISTANT_ID, flowEvent, REGION, SESSION_ID, sessionArn } from "../../support/qconnect-events";
import { LogCapture } from "../../support/qconnect-log-capture";

/**
 * qconnect-session never throws, so Lambda's Errors metric cannot show failed agent selections: its
 * embedded metrics do. One EMF line per invocation, in the kit's namespace with the Environment and
 * Function dimensions, counting exactly one outcome and the time the flow waited.
 */

const server = new FakeAwsJsonServer();
const logs = new LogCapture();
const CONTACT_ID = "c0ffee00-1111-4222-8333-444455556666";

useFakeAwsJsonServer(server, logs, ["AWS_ENDPOINT_URL_QCONNECT"], REGION);

beforeEach(() => {
  process.env.ASSISTANT_ID = ASSISTANT_ID;
  process.env.AGENT_CHAT = AGENT_CHAT;
  process.env.AGENT_VOICE = AGENT_VOICE;
  process.env.ENVIRONMENT_NAME = "test";
  process.env.AWS_REGION = REGION;
  server.respond(() => ok({ session: { sessionId: SESSION_ID, sessionArn: sessionArn(), name: "contact-session" } }));
});

/** The only metric line, with the outcome counts it declares. */
function metricLine(): Record<string, unknown> {
  expect(logs.metrics).toHaveLength(1);
  return logs.metrics[0]!;
}

function declaredMetrics(line: Record<string, unknown>): Record<string, string> {
  const aws = line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  expect(aws.CloudWatchMetrics).toHaveLength(1);
  const [directive] = aws.CloudWatchMetrics;
  expect(directive!.Namespace).toBe("ContactCenterKit/Bridge");
  expect(directive!.Dimensions).toEqual([["Environment", "Function"]]);
  return Object.fromEntries(directive!.Metrics.map((m) => [m.Name, m.Unit]));
}

describe("qconnect-session metrics: one EMF line per invocation", () => {
  test.each(TARGETS)("agent selected: AgentSelected and AgentSelectionMs, with contact and channel as properties (%s)", async (target) => {
    const output = await handlerFor(target, "qconnect-session", handler)(flowEvent({ channel: "CHAT", contactId: CONTACT_ID }));

    // The result contract is unchanged: four flat strings.
    expect(output).toEqual({ status: "OK", channel: "CHAT", aiAgentId: AGENT_CHAT, message: "SELF_SERVICE AI agent set for CHAT" });
    const line = metricLine();
    expect(declaredMetrics(line)).toEqual({ AgentSelected: "Count", AgentSelectionMs: "Milliseconds" });
    expect(line).toMatchObject({ Environment: "test", Function: "qconnect-session", AgentSelected: 1, contactId: CONTACT_ID, channel: "CHAT" });
    expect(line.AgentSelectionMs).toEqual(expect.any(Number));
    // Metrics do not add log lines: still one structured line per outcome.
    expect(logs.lines).toHaveLength(1);
  });

  test.each(TARGETS)("UpdateSession denied: AgentSelectionFailed, not AgentSelected (%s)", async (target) => {
    server.respond(() => awsError(403, "AccessDeniedException", "not authorized to perform wisdom:UpdateSession"));

    const output = await handlerFor(target, "qconnect-session", handler)(flowEvent({ channel: "VOICE" }));

    expect(output.status).toBe("ERROR");
    const line = metricLine();
    expect(declaredMetrics(line)).toEqual({ AgentSelectionFailed: "Count", AgentSelectionMs: "Milliseconds" });
    expect(line).toMatchObject({ AgentSelectionFailed: 1, channel: "VOICE" });
  });

  test("no time left to call UpdateSession: a failure, no call", async () => {
    await handler(flowEvent(), { getRemainingTimeInMillis: () => 100 });

    expect(server.requests).toHaveLength(0);
    expect(declaredMetrics(metricLine())).toEqual({ AgentSelectionFailed: "Count", AgentSelectionMs: "Milliseconds" });
  });

  test.each([
    ["no sessionArn", flowEvent({ parameters: {} })],
    ["unsupported channel", flowEvent({ channel: "TASK" })],
    ["not an object", "CHAT"],
  ])("an unusable event (%s) counts as InvalidEvents, not as a failed selection", async (_name, event) => {
    const output = await handler(event);

    expect(output.status).toBe("ERROR");
    const line = metricLine();
    expect(declaredMetrics(line)).toEqual({ InvalidEvents: "Count", AgentSelectionMs: "Milliseconds" });
    expect(line.InvalidEvents).toBe(1);
    expect(line.contactId).toBeUndefined();
  });

  test("a misconfigured function (bad ASSISTANT_ID) fails every contact: AgentSelectionFailed", async () => {
    process.env.ASSISTANT_ID = "not-a-uuid";

    const output = await handler(flowEvent());

    expect(output.message).toMatch(/ASSISTANT_ID must be the assistant's UUID/);
    expect(declaredMetrics(metricLine())).toEqual({ AgentSelectionFailed: "Count", AgentSelectionMs: "Milliseconds" });
  });
});
