import { handler } from "../../functions/phone-number-flow";
import { awsError, FakeAwsJsonServer, ok, signingService, type RecordedRequest, type Reply, useFakeAwsJsonServer } from "../support/fake-aws-json-server";
import { INSTANCE_ID, REGION, tf } from "../support/qconnect-events";
import { LogCapture } from "../support/qconnect-log-capture";

const server = new FakeAwsJsonServer();
const logs = new LogCapture();

const NUMBER_A = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const NUMBER_B = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
const FLOW = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
const OTHER_FLOW = "3d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a";

/** Connect's phone number associations, as far as these two calls see them. */
class FakePhoneNumbers {
  /** phone number id -> {instance, flow or undefined} */
  readonly numbers = new Map<string, { instanceId: string; flowId?: string }>();

  claim(id: string, flowId?: string): void {
    this.numbers.set(id, { instanceId: INSTANCE_ID, flowId });
  }

  handle(request: RecordedRequest): Reply | undefined {
    const [resource, id, sub] = request.segments;
    if (resource !== "phone-number" || sub !== "contact-flow") return undefined;
    const number = this.numbers.get(id);
    if (!number) return awsError(404, "ResourceNotFoundException", `Phone number ${id} not found`);
    if (request.method === "PUT") {
      const body = request.body as { InstanceId?: string; ContactFlowId?: string };
      if (body.InstanceId !== number.instanceId) return awsError(404, "ResourceNotFoundException", "Instance not found");
      number.flowId = body.ContactFlowId;
      return ok({});
    }
    if (request.method === "DELETE") {
      number.flowId = undefined;
      return ok({});
    }
    return undefined;
  }
}

let connect: FakePhoneNumbers;

function input(action: "create" | "update" | "delete", fields: Record<string, unknown> = {}, prev: Record<string, unknown> | null = null) {
  return { instanceId: INSTANCE_ID, phoneNumberId: NUMBER_A, contactFlowId: FLOW, tf: tf(action, prev), ...fields };
}

function calls(): string[] {
  return server.requests.map((r) => `${r.method} ${r.rawPath}`);
}

useFakeAwsJsonServer(server, logs, ["AWS_ENDPOINT_URL_CONNECT"], REGION);

beforeEach(() => {
  connect = new FakePhoneNumbers();
  server.respond((request) => connect.handle(request) ?? awsError(400, "UnknownOperationException", `${request.method} ${request.rawPath}`));
});

describe("phone-number-flow: create and update", () => {
  test("create points the number at the flow (PUT /phone-number/{id}/contact-flow, signed for connect)", async () => {
    connect.claim(NUMBER_A);

    const result = await handler(input("create"));

    expect(result).toEqual({ status: "OK", action: "create", instanceId: INSTANCE_ID, phoneNumberId: NUMBER_A, contactFlowId: FLOW, association: "associated" });
    expect(calls()).toEqual([`PUT /phone-number/${NUMBER_A}/contact-flow`]);
    expect(server.requests[0].body).toEqual({ ContactFlowId: FLOW, InstanceId: INSTANCE_ID });
    expect(signingService(server.requests[0])).toBe("connect");
    expect(connect.numbers.get(NUMBER_A)?.flowId).toBe(FLOW);
    expect(logs.at("info")).toEqual([expect.objectContaining({ service: "phone-number-flow", outcome: "OK", association: "associated", phoneNumberId: NUMBER_A })]);
  });

  test("update to another number: the previous number is disassociated first, then the new one associated", async () => {
    connect.claim(NUMBER_A, FLOW);
    connect.claim(NUMBER_B);

    const result = await handler(input("update", { phoneNumberId: NUMBER_B }, input("create")));

    expect(result).toMatchObject({
      action: "update",
      phoneNumberId: NUMBER_B,
      association: "associated",
      previous: { instanceId: INSTANCE_ID, phoneNumberId: NUMBER_A, association: "disassociated" },
    });
    expect(calls()).toEqual([`DELETE /phone-number/${NUMBER_A}/contact-flow`, `PUT /phone-number/${NUMBER_B}/contact-flow`]);
    expect(server.requests[0].query).toEqual({ instanceId: INSTANCE_ID });
    expect(connect.numbers.get(NUMBER_A)?.flowId).toBeUndefined();
    expect(connect.numbers.get(NUMBER_B)?.flowId).toBe(FLOW);
  });

  test("update of the flow only re-associates the same number, without a disassociation", async () => {
    connect.claim(NUMBER_A, FLOW);

    const result = await handler(input("update", { contactFlowId: OTHER_FLOW }, input("create")));

    expect(result.previous).toBeUndefined();
    expect(calls()).toEqual([`PUT /phone-number/${NUMBER_A}/contact-flow`]);
    expect(connect.numbers.get(NUMBER_A)?.flowId).toBe(OTHER_FLOW);
  });

  test("update after the previous number was released: the previous number counts as absent", async () => {
    connect.claim(NUMBER_B);

    const result = await handler(input("update", { phoneNumberId: NUMBER_B }, input("create")));

    expect(result.previous).toEqual({ instanceId: INSTANCE_ID, phoneNumberId: NUMBER_A, association: "absent" });
    expect(result.association).toBe("associated");
  });

  test("an unusable tf.prev_input skips the disassociation with a warning", async () => {
    connect.claim(NUMBER_A);

    const result = await handler(input("update", {}, { phoneNumberId: "not-a-uuid", instanceId: INSTANCE_ID }));

    expect(result.previous).toBeUndefined();
    expect(calls()).toEqual([`PUT /phone-number/${NUMBER_A}/contact-flow`]);
    expect(logs.at("warn")[0]).toMatchObject({ detail: expect.stringContaining("tf.prev_input.phoneNumberId must be the phone number's id") });
  });
});

describe("phone-number-flow: delete", () => {
  test("delete disassociates the number (DELETE with the instance id in the query)", async () => {
    connect.claim(NUMBER_A, FLOW);

    const result = await handler(input("delete"));

    expect(result).toEqual({ status: "OK", action: "delete", instanceId: INSTANCE_ID, phoneNumberId: NUMBER_A, contactFlowId: FLOW, association: "disassociated" });
    expect(calls()).toEqual([`DELETE /phone-number/${NUMBER_A}/contact-flow`]);
    expect(server.requests[0].query).toEqual({ instanceId: INSTANCE_ID });
    expect(connect.numbers.get(NUMBER_A)?.flowId).toBeUndefined();
  });

  test("delete when the number is already gone succeeds as absent", async () => {
    const result = await handler(input("delete"));

    expect(result.association).toBe("absent");
    expect(logs.at("error")).toEqual([]);
    expect(logs.at("info")).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: "phone number or its flow association is already gone", errorName: "ResourceNotFoundException" })]),
    );
  });
});

describe("phone-number-flow: invalid input fails before any call, naming the field", () => {
  test.each([
    ["instanceId", { instanceId: "arn:aws:connect:ap-northeast-1:111122223333:instance/x" }, /invalid input: instanceId must be the Connect instance UUID/],
    ["phoneNumberId", { phoneNumberId: "+815012345678" }, /invalid input: phoneNumberId must be the phone number's id \(a UUID\), got "\+815012345678"/],
    ["contactFlowId", { contactFlowId: undefined }, /invalid input: contactFlowId must be the contact flow's id \(a UUID, not its ARN\), got undefined/],
    ["tf.action", { tf: { action: "replace", prev_input: null } }, /invalid input: tf.action must be create, update or delete, got "replace"/],
    ["tf", { tf: undefined }, /invalid input: input has no "tf" object/],
  ])("%s", async (_field, fields, message) => {
    await expect(handler(input("create", fields))).rejects.toThrow(message);
    expect(server.requests).toEqual([]);
    expect(logs.at("error")).toEqual([expect.objectContaining({ message: "invalid input", outcome: "ERROR", detail: expect.stringMatching(/^phone-number-flow: invalid input: /) })]);
  });

  test("a non-object input", async () => {
    await expect(handler("create")).rejects.toThrow("phone-number-flow: invalid input: input must be a JSON object");
  });
});

describe("phone-number-flow: throttling and failures", () => {
  test("throttled calls are retried with backoff, then succeed", async () => {
    connect.claim(NUMBER_A);
    let throttles = 2;
    server.respond((request) => (throttles-- > 0 ? awsError(429, "ThrottlingException", "Rate exceeded") : connect.handle(request)!));

    const result = await handler(input("create"));

    expect(result.association).toBe("associated");
    expect(calls()).toHaveLength(3);
    expect(logs.at("warn")).toEqual([
      expect.objectContaining({ kind: "throttled", attempt: 1, errorName: "ThrottlingException" }),
      expect.objectContaining({ kind: "throttled", attempt: 2, errorName: "ThrottlingException" }),
    ]);
  });

  test("throttling that does not stop fails the apply once the invocation's time is spent", async () => {
    server.respond(() => awsError(429, "ThrottlingException", "Rate exceeded"));
    const started = Date.now();

    const outcome = handler(input("create"), { getRemainingTimeInMillis: () => 3_500 });

    await expect(outcome).rejects.toThrow(
      new RegExp(
        `^phone-number-flow \\(create, phone number ${NUMBER_A}\\): AssociatePhoneNumberContactFlow \\(phone number ${NUMBER_A} -> flow ${FLOW}, instance ${INSTANCE_ID}\\) failed after \\d+ attempts \\(throttled, out of retries or time\\): ThrottlingException: Rate exceeded$`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(server.requests.length).toBeGreaterThan(1);
    expect(logs.at("error")).toEqual([expect.objectContaining({ message: "phone number flow failed", outcome: "ERROR" })]);
  });

  test("a permanent failure (access denied) fails at once with the AWS error", async () => {
    server.respond(() => awsError(403, "AccessDeniedException", "User is not authorized to perform connect:AssociatePhoneNumberContactFlow"));

    await expect(handler(input("create"))).rejects.toThrow(
      `phone-number-flow (create, phone number ${NUMBER_A}): AssociatePhoneNumberContactFlow (phone number ${NUMBER_A} -> flow ${FLOW}, instance ${INSTANCE_ID}) failed: AccessDeniedException: User is not authorized to perform connect:AssociatePhoneNumberContactFlow`,
    );
    expect(server.requests).toHaveLength(1);
  });

  test("a failed disassociation of the previous number stops the update before the new number is associated", async () => {
    connect.claim(NUMBER_B);
    server.respond((request) =>
      request.method === "DELETE" ? awsError(400, "InvalidParameterException", "bad request") : connect.handle(request)!,
    );

    await expect(handler(input("update", { phoneNumberId: NUMBER_B }, input("create")))).rejects.toThrow(
      `DisassociatePhoneNumberContactFlow (phone number ${NUMBER_A}, instance ${INSTANCE_ID}) failed: InvalidParameterException: bad request`,
    );
    expect(calls()).toEqual([`DELETE /phone-number/${NUMBER_A}/contact-flow`]);
    expect(connect.numbers.get(NUMBER_B)?.flowId).toBeUndefined();
  });
});
