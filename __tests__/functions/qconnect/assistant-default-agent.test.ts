import { handler } from "../../../functions/assistant-default-agent";
import { awsError, FakeAwsJsonServer, ok, signingService, type RecordedRequest, type Reply, useFakeAwsJsonServer } from "../../support/fake-aws-json-server";
import { AGENT_CHAT, AGENT_VOICE, ASSISTANT_ID, OTHER_ASSISTANT_ID, REGION, tf } from "../../support/qconnect-events";
import { LogCapture } from "../../support/qconnect-log-capture";
import { TARGETS, handlerFor } from "../../support/built-bundle";

const server = new FakeAwsJsonServer();
const logs = new LogCapture();

/** Answers like Q in Connect: POST sets the default agent (200 + assistant), DELETE removes it (204). */
function qconnectLike(overrides: (request: RecordedRequest) => Reply | undefined = () => undefined) {
  return (request: RecordedRequest): Reply => {
    const custom = overrides(request);
    if (custom) return custom;
    if (request.method === "POST") {
      const body = request.body as { aiAgentType: string; configuration: { aiAgentId: string } };
      return ok({
        assistant: {
          assistantId: request.segments[1],
          assistantArn: `arn:aws:wisdom:${REGION}:111122223333:assistant/${request.segments[1]}`,
          name: "kit-assistant",
          type: "AGENT",
          status: "ACTIVE",
          aiAgentConfiguration: { [body.aiAgentType]: { aiAgentId: body.configuration.aiAgentId } },
        },
      });
    }
    if (request.method === "DELETE") return { status: 204 };
    return awsError(400, "ValidationException", `unexpected ${request.method}`);
  };
}

function input(action: "create" | "update" | "delete", prev: Record<string, unknown> | null = null, fields: Record<string, unknown> = {}) {
  return { assistantId: ASSISTANT_ID, aiAgentType: "SELF_SERVICE", aiAgentId: AGENT_CHAT, ...fields, tf: tf(action, prev) };
}

/** What the stack passed last time, as aws_lambda_invocation reports it in tf.prev_input. */
function previous(fields: Record<string, unknown> = {}) {
  return { assistantId: ASSISTANT_ID, aiAgentType: "SELF_SERVICE", aiAgentId: AGENT_VOICE, ...fields };
}

useFakeAwsJsonServer(server, logs, ["AWS_ENDPOINT_URL_QCONNECT"], REGION);

beforeEach(() => {
  server.respond(qconnectLike());
});

describe("assistant-default-agent: create and update", () => {
  // Also run against the built bundle (the zip's index.js), so bundling mistakes fail here too.
  test.each(TARGETS)("create: UpdateAssistantAIAgent with the type and the agent version (%s)", async (target) => {
    const result = await handlerFor(target, "assistant-default-agent", handler)(input("create"));

    expect(result).toEqual({ status: "OK", action: "create", assistantId: ASSISTANT_ID, aiAgentType: "SELF_SERVICE", aiAgentId: AGENT_CHAT });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.rawPath).toBe(`/assistants/${ASSISTANT_ID}/aiagentConfiguration`);
    expect(request!.body).toEqual({ aiAgentType: "SELF_SERVICE", configuration: { aiAgentId: AGENT_CHAT } });
    expect(signingService(request!)).toBe("wisdom");
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatchObject({ level: "info", outcome: "OK", action: "create", assistantId: ASSISTANT_ID });
  });

  test("update of the agent version only: one call, no removal", async () => {
    const result = await handler(input("update", previous()));

    expect(result).toEqual({ status: "OK", action: "update", assistantId: ASSISTANT_ID, aiAgentType: "SELF_SERVICE", aiAgentId: AGENT_CHAT });
    expect(server.requests.map((r) => r.method)).toEqual(["POST"]);
  });

  test("update to another assistant: removes the old default first, then sets the new one", async () => {
    const result = await handler(input("update", previous({ assistantId: OTHER_ASSISTANT_ID })));

    expect(server.requests.map((r) => `${r.method} ${r.rawPath}`)).toEqual([
      `DELETE /assistants/${OTHER_ASSISTANT_ID}/aiagentConfiguration`,
      `POST /assistants/${ASSISTANT_ID}/aiagentConfiguration`,
    ]);
    expect(server.requests[0]!.query).toEqual({ aiAgentType: "SELF_SERVICE" });
    expect(result.previous).toBe(`removed on assistant ${OTHER_ASSISTANT_ID} (SELF_SERVICE)`);
  });

  test("update to another agent type: removes the old type on the same assistant", async () => {
    await handler(input("update", previous({ aiAgentType: "MANUAL_SEARCH" })));

    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "POST"]);
    expect(server.requests[0]!.rawPath).toBe(`/assistants/${ASSISTANT_ID}/aiagentConfiguration`);
    expect(server.requests[0]!.query).toEqual({ aiAgentType: "MANUAL_SEARCH" });
  });

  test("removing the previous default is best effort: a failure warns and the update goes on", async () => {
    server.respond(qconnectLike((r) => (r.method === "DELETE" ? awsError(403, "AccessDeniedException", "not allowed on the old assistant") : undefined)));

    const result = await handler(input("update", previous({ assistantId: OTHER_ASSISTANT_ID })));

    expect(result.status).toBe("OK");
    expect(result.previous).toBe(`left on assistant ${OTHER_ASSISTANT_ID} (SELF_SERVICE): AccessDeniedException: not allowed on the old assistant`);
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "POST"]);
    expect(logs.at("warn")).toHaveLength(1);
  });

  test("a previous assistant that no longer exists counts as removed", async () => {
    server.respond(qconnectLike((r) => (r.method === "DELETE" ? awsError(404, "ResourceNotFoundException", "Assistant not found") : undefined)));

    const result = await handler(input("update", previous({ assistantId: OTHER_ASSISTANT_ID })));

    expect(result.previous).toBe(`absent on assistant ${OTHER_ASSISTANT_ID} (SELF_SERVICE)`);
  });

  test("an unusable tf.prev_input skips cleanup with a warning", async () => {
    const result = await handler(input("update", { assistantId: "arn:aws:wisdom:x" }));

    expect(result.status).toBe("OK");
    expect(server.requests.map((r) => r.method)).toEqual(["POST"]);
    expect(logs.at("warn")[0]).toMatchObject({ detail: expect.stringContaining("tf.prev_input.assistantId") });
  });

  test("a throttled call is retried", async () => {
    let calls = 0;
    server.respond(qconnectLike(() => (++calls === 1 ? awsError(429, "ThrottlingException", "Rate exceeded") : undefined)));

    const result = await handler(input("create"));

    expect(result.status).toBe("OK");
    expect(server.requests).toHaveLength(2);
  });

  test.each(TARGETS)("AccessDenied fails the apply with what, where and the AWS error, logged first (%s)", async (target) => {
    server.respond(() => awsError(403, "AccessDeniedException", "User is not authorized to perform wisdom:UpdateAssistantAIAgent"));

    await expect(handlerFor(target, "assistant-default-agent", handler)(input("create"))).rejects.toThrow(
      `UpdateAssistantAIAgent (SELF_SERVICE -> ${AGENT_CHAT}) failed on assistant ${ASSISTANT_ID}: AccessDeniedException: User is not authorized to perform wisdom:UpdateAssistantAIAgent`,
    );
    expect(logs.at("error")).toHaveLength(1);
    expect(logs.at("error")[0]).toMatchObject({ outcome: "ERROR", errorName: "AccessDeniedException", assistantId: ASSISTANT_ID });
  });

  test("an unknown agent version (ResourceNotFound on update) fails loudly", async () => {
    server.respond(() => awsError(404, "ResourceNotFoundException", "AI Agent not found"));

    await expect(handler(input("create"))).rejects.toThrow(/failed on assistant .*: ResourceNotFoundException: AI Agent not found/);
  });
});

describe("assistant-default-agent: delete", () => {
  test("delete: RemoveAssistantAIAgent for the type", async () => {
    const result = await handler(input("delete", input("create")));

    expect(result).toEqual({ status: "OK", action: "delete", assistantId: ASSISTANT_ID, aiAgentType: "SELF_SERVICE", aiAgentId: "" });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.method).toBe("DELETE");
    expect(server.requests[0]!.rawPath).toBe(`/assistants/${ASSISTANT_ID}/aiagentConfiguration`);
    expect(server.requests[0]!.query).toEqual({ aiAgentType: "SELF_SERVICE" });
    expect(server.requests[0]!.bodyText).toBe("");
  });

  test("delete when the assistant or setting is already gone succeeds", async () => {
    server.respond(() => awsError(404, "ResourceNotFoundException", "Assistant not found"));

    const result = await handler(input("delete"));

    expect(result.status).toBe("OK");
    expect(logs.at("error")).toHaveLength(0);
  });

  test("delete AccessDenied fails loudly", async () => {
    server.respond(() => awsError(403, "AccessDeniedException", "denied"));

    await expect(handler(input("delete"))).rejects.toThrow(`RemoveAssistantAIAgent (SELF_SERVICE) failed on assistant ${ASSISTANT_ID}: AccessDeniedException: denied`);
    expect(logs.at("error")).toHaveLength(1);
  });
});

describe("assistant-default-agent: input is validated before any call", () => {
  const { tf: _tf, ...withoutTf } = input("create");
  test.each<[string, unknown, RegExp]>([
    ["not an object", "SELF_SERVICE", /input must be a JSON object/],
    ["missing assistantId", { ...input("create"), assistantId: undefined }, /assistantId must be the assistant's UUID/],
    ["assistant ARN instead of id", input("create", null, { assistantId: `arn:aws:wisdom:${REGION}:111122223333:assistant/${ASSISTANT_ID}` }), /assistantId must be the assistant's UUID/],
    ["unknown agent type", input("create", null, { aiAgentType: "SELF-SERVICE" }), /aiAgentType must be one of .*SELF_SERVICE/],
    ["bare agent id without version", input("create", null, { aiAgentId: "11111111-2222-4333-8444-555555555555" }), /aiAgentId must be an AI agent version id/],
    ["agent id with $LATEST", input("create", null, { aiAgentId: "11111111-2222-4333-8444-555555555555:$LATEST" }), /aiAgentId must be an AI agent version id/],
    ["no tf key (CREATE_ONLY scope)", withoutTf, /lifecycle_scope = "CRUD"/],
    ["unknown tf.action", { ...input("create"), tf: { action: "read", prev_input: null } }, /tf.action must be create, update or delete/],
  ])("%s", async (_name, event, expected) => {
    await expect(handler(event)).rejects.toThrow(expected);
    await expect(handler(event)).rejects.toThrow(/^assistant-default-agent: invalid input: /);
    expect(server.requests).toHaveLength(0);
    expect(logs.at("error").length).toBeGreaterThan(0);
  });
});
