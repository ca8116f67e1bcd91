import { BUDGET_MS, handler } from "../../../functions/qconnect-session";
import { awsError, FakeAwsJsonServer, ok, signingService, useFakeAwsJsonServer } from "../../support/fake-aws-json-server";
import {
  ACCOUNT,
  AGENT_CHAT,
  AGENT_VOICE,
  ASSISTANT_ID,
  flowEvent,
  OTHER_ASSISTANT_ID,
  REGION,
  SESSION_ID,
  sessionArn,
} from "../../support/qconnect-events";
import { LogCapture } from "../../support/qconnect-log-capture";
import { TARGETS, handlerFor } from "../../support/built-bundle";

const server = new FakeAwsJsonServer();
const logs = new LogCapture();

/** A successful UpdateSession answer as Q in Connect sends it. */
function sessionReply() {
  return ok({
    session: {
      sessionId: SESSION_ID,
      sessionArn: sessionArn(),
      name: "contact-session",
      aiAgentConfiguration: { SELF_SERVICE: { aiAgentId: AGENT_CHAT } },
    },
  });
}

function setAgentEnv(): void {
  process.env.ASSISTANT_ID = ASSISTANT_ID;
  process.env.AGENT_CHAT = AGENT_CHAT;
  process.env.AGENT_VOICE = AGENT_VOICE;
  process.env.ENVIRONMENT_NAME = "test";
}

useFakeAwsJsonServer(server, logs, ["AWS_ENDPOINT_URL_QCONNECT"], REGION);

beforeEach(() => {
  setAgentEnv();
  process.env.AWS_REGION = REGION;
  server.respond(() => sessionReply());
});

describe("qconnect-session: selecting the channel's AI agent", () => {
  // Also run against the built bundle (the zip's index.js), so bundling mistakes fail here too.
  test.each(TARGETS)("CHAT contact: UpdateSession on the session's path with the chat agent version (%s)", async (target) => {
    const output = await handlerFor(target, "qconnect-session", handler)(flowEvent({ channel: "CHAT" }));

    expect(output).toEqual({ status: "OK", channel: "CHAT", aiAgentId: AGENT_CHAT, message: "SELF_SERVICE AI agent set for CHAT" });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.rawPath).toBe(`/assistants/${ASSISTANT_ID}/sessions/${SESSION_ID}`);
    expect(request!.body).toEqual({ aiAgentConfiguration: { SELF_SERVICE: { aiAgentId: AGENT_CHAT } } });
    expect(signingService(request!)).toBe("wisdom");
  });

  test("VOICE contact: the voice agent version", async () => {
    const output = await handler(flowEvent({ channel: "VOICE" }));

    expect(output).toMatchObject({ status: "OK", channel: "VOICE", aiAgentId: AGENT_VOICE });
    expect(server.requests[0]!.body).toEqual({ aiAgentConfiguration: { SELF_SERVICE: { aiAgentId: AGENT_VOICE } } });
  });

  test("the channel parameter overrides the contact's channel and is case-insensitive", async () => {
    const output = await handler(flowEvent({ channel: "VOICE", parameters: { sessionArn: sessionArn(), channel: " chat " } }));

    expect(output).toMatchObject({ status: "OK", channel: "CHAT", aiAgentId: AGENT_CHAT });
    expect(server.requests[0]!.body).toEqual({ aiAgentConfiguration: { SELF_SERVICE: { aiAgentId: AGENT_CHAT } } });
  });

  test("an empty channel parameter falls back to the contact's channel", async () => {
    const output = await handler(flowEvent({ channel: "VOICE", parameters: { sessionArn: sessionArn(), channel: "" } }));

    expect(output).toMatchObject({ status: "OK", channel: "VOICE", aiAgentId: AGENT_VOICE });
  });

  test("the output is a flat map of exactly four strings", async () => {
    const output = await handler(flowEvent());

    expect(Object.keys(output).sort()).toEqual(["aiAgentId", "channel", "message", "status"]);
    for (const value of Object.values(output)) expect(typeof value).toBe("string");
  });

  test("writes one structured info line with the contact and the agent", async () => {
    await handler(flowEvent({ channel: "CHAT", contactId: "c0ffee00-1111-4222-8333-444455556666" }));

    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatchObject({
      level: "info",
      service: "qconnect-session",
      outcome: "OK",
      environment: "test",
      contactId: "c0ffee00-1111-4222-8333-444455556666",
      channel: "CHAT",
      assistantId: ASSISTANT_ID,
      sessionId: SESSION_ID,
      aiAgentId: AGENT_CHAT,
    });
    expect(typeof logs.lines[0]!.durationMs).toBe("number");
  });
});

describe("qconnect-session: AWS errors become ERROR results", () => {
  test.each(TARGETS)("AccessDenied: ERROR with the AWS error, not retried, no throw (%s)", async (target) => {
    server.respond(() => awsError(403, "AccessDeniedException", "not authorized to perform wisdom:UpdateSession"));

    const output = await handlerFor(target, "qconnect-session", handler)(flowEvent());

    expect(output).toEqual({
      status: "ERROR",
      channel: "CHAT",
      aiAgentId: AGENT_CHAT,
      message: "UpdateSession failed: AccessDeniedException: not authorized to perform wisdom:UpdateSession",
    });
    expect(server.requests).toHaveLength(1);
    expect(logs.at("error")).toHaveLength(1);
    expect(logs.at("error")[0]).toMatchObject({ outcome: "ERROR", reason: "aws", errorName: "AccessDeniedException", httpStatus: 403 });
  });

  test("ResourceNotFound (session gone): ERROR naming the exception", async () => {
    server.respond(() => awsError(404, "ResourceNotFoundException", "Session not found"));

    const output = await handler(flowEvent({ channel: "VOICE" }));

    expect(output).toMatchObject({ status: "ERROR", channel: "VOICE", message: "UpdateSession failed: ResourceNotFoundException: Session not found" });
  });

  test("one throttle is retried and then succeeds", async () => {
    let calls = 0;
    server.respond(() => (++calls === 1 ? awsError(429, "ThrottlingException", "Rate exceeded") : sessionReply()));

    const output = await handler(flowEvent());

    expect(output.status).toBe("OK");
    expect(server.requests).toHaveLength(2);
  });

  test("persistent throttling gives ERROR after two attempts, inside the budget", async () => {
    server.respond(() => awsError(429, "ThrottlingException", "Rate exceeded"));
    const started = Date.now();

    const output = await handler(flowEvent());

    expect(output).toMatchObject({ status: "ERROR", message: expect.stringContaining("ThrottlingException") });
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(BUDGET_MS + 500);
  });

  test("a server that never answers: ERROR within the budget, well under Connect's 8 s", async () => {
    server.respond(() => ({ status: 200, hang: true }));
    const started = Date.now();

    const output = await handler(flowEvent());

    const elapsed = Date.now() - started;
    expect(output).toMatchObject({ status: "ERROR", channel: "CHAT", aiAgentId: AGENT_CHAT });
    expect(output.message).toMatch(/timed out|did not finish within/);
    expect(elapsed).toBeLessThan(BUDGET_MS + 500);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
  });

  test("a slow answer (5 s) is abandoned within the budget", async () => {
    server.respond(() => ({ ...sessionReply(), delayMs: 5000 }));
    const started = Date.now();

    const output = await handler(flowEvent());

    expect(output.status).toBe("ERROR");
    expect(Date.now() - started).toBeLessThan(BUDGET_MS + 500);
  });

  test("the budget shrinks to the Lambda's remaining time", async () => {
    server.respond(() => ({ status: 200, hang: true }));
    const started = Date.now();

    const output = await handler(flowEvent(), { getRemainingTimeInMillis: () => 900 });

    expect(output).toMatchObject({ status: "ERROR", message: "UpdateSession did not finish within 650 ms" });
    expect(Date.now() - started).toBeLessThan(900);
  });

  test("no call at all when the Lambda has no time left", async () => {
    const output = await handler(flowEvent(), { getRemainingTimeInMillis: () => 100 });

    expect(output).toMatchObject({ status: "ERROR", message: expect.stringContaining("no time left") });
    expect(server.requests).toHaveLength(0);
  });

  test("a non-JSON 500 answer is an ERROR too", async () => {
    server.respond(() => ({ status: 500, body: "<html>oops</html>", headers: { "content-type": "text/html" } }));

    const output = await handler(flowEvent());

    expect(output.status).toBe("ERROR");
    expect(output.message).toMatch(/^UpdateSession failed: /);
  });
});

describe("qconnect-session: configuration errors", () => {
  test.each([
    ["ASSISTANT_ID", undefined, /ASSISTANT_ID must be the assistant's UUID/],
    ["ASSISTANT_ID", "not-a-uuid", /ASSISTANT_ID must be the assistant's UUID/],
    ["AGENT_CHAT", undefined, /AGENT_CHAT must be an AI agent version id/],
    ["AGENT_CHAT", "11111111-2222-4333-8444-555555555555", /AGENT_CHAT must be an AI agent version id/],
    ["AGENT_VOICE", "66666666-7777-4888-9999-aaaaaaaaaaaa:$LATEST", /AGENT_VOICE must be an AI agent version id/],
  ])("%s=%s gives a clear ERROR and no call", async (name, value, expected) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;

    const output = await handler(flowEvent());

    expect(output.status).toBe("ERROR");
    expect(output.message).toMatch(expected);
    expect(server.requests).toHaveLength(0);
    expect(logs.at("error")[0]).toMatchObject({ outcome: "ERROR", reason: "input" });
  });
});

describe("qconnect-session: malformed events return ERROR without throwing", () => {
  const good = sessionArn();
  const malformed: [string, unknown, RegExp][] = [
    ["undefined event", undefined, /must be a Connect flow event object/],
    ["null event", null, /must be a Connect flow event object/],
    ["string event", "CHAT", /must be a Connect flow event object/],
    ["number event", 42, /must be a Connect flow event object/],
    ["array event", [flowEvent()], /must be a Connect flow event object/],
    ["empty object", {}, /event.Details is missing/],
    ["Details null", { Details: null }, /event.Details is missing/],
    ["Details string", { Details: "x" }, /event.Details is missing/],
    ["Details array", { Details: [] }, /event.Details is missing/],
    ["Parameters string", { Details: { ContactData: { Channel: "CHAT" }, Parameters: "sessionArn" } }, /Parameters must be an object/],
    ["Parameters array", { Details: { ContactData: { Channel: "CHAT" }, Parameters: [good] } }, /Parameters must be an object/],
    ["ContactData string", { Details: { ContactData: "CHAT", Parameters: { sessionArn: good } } }, /ContactData must be an object/],
    ["no sessionArn", flowEvent({ parameters: {} }), /sessionArn is missing/],
    ["empty sessionArn", flowEvent({ parameters: { sessionArn: "" } }), /sessionArn is missing/],
    ["blank sessionArn", flowEvent({ parameters: { sessionArn: "   " } }), /sessionArn is missing/],
    ["numeric sessionArn", flowEvent({ parameters: { sessionArn: 123 } }), /sessionArn is missing/],
    ["assistant ARN instead of session ARN", flowEvent({ parameters: { sessionArn: `arn:aws:wisdom:${REGION}:${ACCOUNT}:assistant/${ASSISTANT_ID}` } }), /not a Q in Connect session ARN/],
    ["Connect ARN", flowEvent({ parameters: { sessionArn: `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${ASSISTANT_ID}` } }), /not a Q in Connect session ARN/],
    ["session ARN with a suffix", flowEvent({ parameters: { sessionArn: `${good}/extra` } }), /not a Q in Connect session ARN/],
    ["session id not a UUID", flowEvent({ parameters: { sessionArn: `arn:aws:wisdom:${REGION}:${ACCOUNT}:session/${ASSISTANT_ID}/abc` } }), /not a Q in Connect session ARN/],
    ["unresolved flow reference", flowEvent({ parameters: { sessionArn: "$.Wisdom.SessionArn" } }), /not a Q in Connect session ARN/],
    ["another assistant's session", flowEvent({ parameters: { sessionArn: sessionArn(OTHER_ASSISTANT_ID) } }), /belongs to assistant 0b1c2d3e/],
    ["session in another region", flowEvent({ parameters: { sessionArn: sessionArn(ASSISTANT_ID, SESSION_ID, "us-east-1") } }), /region us-east-1 but this function runs in ap-northeast-1/],
    ["TASK contact", flowEvent({ channel: "TASK" }), /unsupported channel "TASK" in Details.ContactData.Channel/],
    ["EMAIL channel parameter", flowEvent({ parameters: { sessionArn: good, channel: "EMAIL" } }), /unsupported channel "EMAIL" in Details.Parameters.channel/],
    ["injected channel text", flowEvent({ parameters: { sessionArn: good, channel: "CHAT; VOICE" } }), /unsupported channel/],
    ["numeric channel parameter", flowEvent({ parameters: { sessionArn: good, channel: 1 } }), /channel must be a string/],
    ["object channel parameter", flowEvent({ parameters: { sessionArn: good, channel: { value: "CHAT" } } }), /channel must be a string/],
    ["no channel anywhere", { Details: { ContactData: { ContactId: "x" }, Parameters: { sessionArn: good } } }, /no channel/],
    ["null contact channel", { Details: { ContactData: { Channel: null }, Parameters: { sessionArn: good } } }, /no channel/],
  ];

  test("there are at least 20 malformed cases", () => {
    expect(malformed.length).toBeGreaterThanOrEqual(20);
  });

  test.each(malformed)("%s", async (_name, event, expected) => {
    const output = await handler(event);

    expect(output.status).toBe("ERROR");
    expect(output.message).toMatch(expected);
    for (const value of Object.values(output)) expect(typeof value).toBe("string");
    expect(server.requests).toHaveLength(0);
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatchObject({ level: "error", outcome: "ERROR", reason: "input" });
  });
});
