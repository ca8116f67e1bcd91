import { handler, STATEMENT_ID } from "../../../functions/chat-message-streaming";
import { FakeLexPolicies, type StoredStatement } from "../../support/fake-aws-json-lex-policies";
import { awsError, FakeAwsJsonServer, ok, signingService, type RecordedRequest, type Reply, useFakeAwsJsonServer } from "../../support/fake-aws-json-server";
import { ACCOUNT, aliasArn, INSTANCE_ARN, INSTANCE_ID, REGION, tf } from "../../support/qconnect-events";
import { LogCapture } from "../../support/qconnect-log-capture";
import { TARGETS, handlerFor } from "../../support/built-bundle";

const server = new FakeAwsJsonServer();
const logs = new LogCapture();
let lex: FakeLexPolicies;

const ALIAS_A = aliasArn("BOTAAAAAA1", "ALIASAAAA1");
const ALIAS_B = aliasArn("BOTBBBBBB2", "ALIASBBBB2");
const ALIAS_C = aliasArn("BOTCCCCCC3", "TSTALIASID");
const OTHER_INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/bbbbbbbb-cccc-4ddd-8eee-ffffffffffff`;

/** The statement this kit writes, as Lex shows it in the policy document. */
function kitStatement(alias: string, instanceArn = INSTANCE_ARN): StoredStatement {
  return {
    Sid: STATEMENT_ID,
    Effect: "Allow",
    Principal: { Service: "connect.amazonaws.com" },
    Action: "lex:RecognizeMessageAsync",
    Resource: alias,
    Condition: { ArnEquals: { "aws:SourceArn": instanceArn }, StringEquals: { "aws:SourceAccount": ACCOUNT } },
  };
}

/** A statement another party (Connect's bot association) keeps in the same policy. */
function connectAssociationStatement(alias: string): StoredStatement {
  return {
    Sid: "connect-bot-association",
    Effect: "Allow",
    Principal: { Service: "connect.amazonaws.com" },
    Action: ["lex:RecognizeText", "lex:StartConversation"],
    Resource: alias,
    Condition: { ArnEquals: { "AWS:SourceArn": INSTANCE_ARN }, StringEquals: { "AWS:SourceAccount": ACCOUNT } },
  };
}

type ConnectHandler = (request: RecordedRequest) => Reply;
let connectReply: ConnectHandler;

function event(action: "create" | "update" | "delete", botAliasArns: unknown, prev: Record<string, unknown> | null = null, fields: Record<string, unknown> = {}) {
  return { instanceId: INSTANCE_ID, instanceArn: INSTANCE_ARN, botAliasArns, accountId: ACCOUNT, ...fields, tf: tf(action, prev) };
}

function lexCalls(): string[] {
  return server.requests.filter((r) => r.segments[0] === "policy").map((r) => `${r.method} ${r.segments.slice(2).join("/") || "policy"} ${r.segments[1]}`);
}

function connectCalls(): RecordedRequest[] {
  return server.requests.filter((r) => r.segments[0] === "instance");
}

const DESIRED_BODY = {
  statementId: STATEMENT_ID,
  effect: "Allow",
  principal: [{ service: "connect.amazonaws.com" }],
  action: ["lex:RecognizeMessageAsync"],
  condition: { ArnEquals: { "AWS:SourceArn": INSTANCE_ARN }, StringEquals: { "AWS:SourceAccount": ACCOUNT } },
};

// Both clients reach the same loopback server; the paths tell the services apart.
useFakeAwsJsonServer(server, logs, ["AWS_ENDPOINT_URL_CONNECT", "AWS_ENDPOINT_URL_LEX_MODELS_V2"], REGION);

beforeEach(() => {
  lex = new FakeLexPolicies();
  connectReply = () => ok({});
  server.respond((request) => {
    if (request.segments[0] === "instance") return connectReply(request);
    return lex.handle(request) ?? awsError(404, "UnknownOperationException", request.rawPath);
  });
});

describe("chat-message-streaming: create", () => {
  // Also run against the built bundle (the zip's index.js), so bundling mistakes fail here too.
  test.each(TARGETS)("grants lex:RecognizeMessageAsync on every alias, then turns MESSAGE_STREAMING on (%s)", async (target) => {
    lex.addAlias(ALIAS_A);
    lex.addAlias(ALIAS_B);

    const result = await handlerFor(target, "chat-message-streaming", handler)(event("create", [ALIAS_A, ALIAS_B]));

    expect(result).toEqual({
      status: "OK",
      action: "create",
      instanceId: INSTANCE_ID,
      messageStreaming: "enabled",
      aliases: [
        { arn: ALIAS_A, statement: "created" },
        { arn: ALIAS_B, statement: "created" },
      ],
      removed: [],
    });
    expect(lexCalls()).toEqual([`GET policy ${ALIAS_A}`, `POST statements ${ALIAS_A}`, `GET policy ${ALIAS_B}`, `POST statements ${ALIAS_B}`]);
    const creates = server.requests.filter((r) => r.method === "POST" && r.segments[0] === "policy");
    for (const create of creates) {
      expect(create.body).toEqual(DESIRED_BODY);
      expect(create.query).toEqual({});
      expect(signingService(create)).toBe("lex");
    }
    // The attribute call comes last, after every alias accepts the streaming call.
    const last = server.requests[server.requests.length - 1]!;
    expect(last.method).toBe("POST");
    expect(last.rawPath).toBe(`/instance/${INSTANCE_ID}/attribute/MESSAGE_STREAMING`);
    expect(last.body).toMatchObject({ Value: "true" });
    expect(signingService(last)).toBe("connect");
    expect(lex.statements(ALIAS_A)).toEqual([kitStatement(ALIAS_A)].map((s) => ({ ...s, Condition: DESIRED_BODY.condition })));
  });

  test("adds to an existing policy with its revision and leaves other statements alone", async () => {
    lex.addAlias(ALIAS_A, [connectAssociationStatement(ALIAS_A)]);

    const result = await handler(event("create", [ALIAS_A]));

    expect(result.aliases).toEqual([{ arn: ALIAS_A, statement: "created" }]);
    const create = server.requests.find((r) => r.method === "POST" && r.segments[0] === "policy")!;
    expect(create.query).toEqual({ expectedRevisionId: "1" });
    expect(lex.statements(ALIAS_A).map((s) => s.Sid)).toEqual(["connect-bot-association", STATEMENT_ID]);
    expect(lex.statements(ALIAS_A)[0]).toEqual(connectAssociationStatement(ALIAS_A));
  });

  test("an identical statement is kept as is (condition keys compared case-insensitively)", async () => {
    lex.addAlias(ALIAS_A, [connectAssociationStatement(ALIAS_A), kitStatement(ALIAS_A)]);

    const result = await handler(event("create", [ALIAS_A]));

    expect(result.aliases).toEqual([{ arn: ALIAS_A, statement: "unchanged" }]);
    expect(lexCalls()).toEqual([`GET policy ${ALIAS_A}`]);
    expect(lex.revision(ALIAS_A)).toBe(1);
    expect(connectCalls()).toHaveLength(1);
  });

  test("a statement with the kit's id but another instance is replaced (delete, then create)", async () => {
    lex.addAlias(ALIAS_A, [connectAssociationStatement(ALIAS_A), kitStatement(ALIAS_A, OTHER_INSTANCE_ARN)]);

    const result = await handler(event("create", [ALIAS_A]));

    expect(result.aliases).toEqual([{ arn: ALIAS_A, statement: "replaced" }]);
    expect(lexCalls()).toEqual([
      `GET policy ${ALIAS_A}`,
      `DELETE statements/${STATEMENT_ID} ${ALIAS_A}`,
      `GET policy ${ALIAS_A}`,
      `POST statements ${ALIAS_A}`,
    ]);
    const del = server.requests.find((r) => r.method === "DELETE")!;
    expect(del.query).toEqual({ expectedRevisionId: "1" });
    const kit = lex.statements(ALIAS_A).find((s) => s.Sid === STATEMENT_ID)!;
    expect(kit.Condition).toEqual(DESIRED_BODY.condition);
    expect(lex.statements(ALIAS_A)).toHaveLength(2);
  });

  test("a concurrent change between read and write is retried from a fresh read", async () => {
    lex.addAlias(ALIAS_A, [connectAssociationStatement(ALIAS_A)]);
    let interfered = false;
    lex.beforeWrite = (arn) => {
      if (!interfered) {
        interfered = true;
        lex.touch(arn);
      }
    };

    const result = await handler(event("create", [ALIAS_A]));

    expect(result.aliases).toEqual([{ arn: ALIAS_A, statement: "created" }]);
    expect(lexCalls()).toEqual([`GET policy ${ALIAS_A}`, `POST statements ${ALIAS_A}`, `GET policy ${ALIAS_A}`, `POST statements ${ALIAS_A}`]);
    expect(logs.at("warn")[0]).toMatchObject({ errorName: "PreconditionFailedException", aliasArn: ALIAS_A });
  });

  test("duplicate alias ARNs are handled once", async () => {
    lex.addAlias(ALIAS_A);

    const result = await handler(event("create", [ALIAS_A, ALIAS_A]));

    expect(result.aliases).toHaveLength(1);
    expect(lexCalls()).toHaveLength(2);
  });

  test("no aliases: only the instance attribute", async () => {
    const result = await handler(event("create", []));

    expect(result).toMatchObject({ messageStreaming: "enabled", aliases: [] });
    expect(server.requests.map((r) => r.segments[0])).toEqual(["instance"]);
  });

  test("a throttled Lex call is retried within the invocation's time", async () => {
    lex.addAlias(ALIAS_A);
    let throttled = false;
    server.respond((request) => {
      if (request.segments[0] === "instance") return ok({});
      if (!throttled) {
        throttled = true;
        return awsError(429, "ThrottlingException", "Rate exceeded");
      }
      return lex.handle(request)!;
    });

    const result = await handler(event("create", [ALIAS_A]));

    expect(result.aliases).toEqual([{ arn: ALIAS_A, statement: "created" }]);
    expect(logs.at("warn")).toEqual([expect.objectContaining({ kind: "throttled", attempt: 1, errorName: "ThrottlingException" })]);
  });
});

describe("chat-message-streaming: update", () => {
  test("keeps listed aliases, adds new ones and removes the kit's statement from dropped ones", async () => {
    lex.addAlias(ALIAS_A, [connectAssociationStatement(ALIAS_A), kitStatement(ALIAS_A)]);
    lex.addAlias(ALIAS_B, [kitStatement(ALIAS_B)]);
    lex.addAlias(ALIAS_C);

    const result = await handler(event("update", [ALIAS_B, ALIAS_C], event("create", [ALIAS_A, ALIAS_B])));

    expect(result).toMatchObject({
      action: "update",
      messageStreaming: "enabled",
      aliases: [
        { arn: ALIAS_B, statement: "unchanged" },
        { arn: ALIAS_C, statement: "created" },
      ],
      removed: [{ arn: ALIAS_A, statement: "deleted" }],
    });
    expect(lex.statements(ALIAS_A).map((s) => s.Sid)).toEqual(["connect-bot-association"]);
    expect(lex.statements(ALIAS_C).map((s) => s.Sid)).toEqual([STATEMENT_ID]);
    // Removal happens after streaming is on for the aliases still in use.
    const order = server.requests.map((r) => (r.segments[0] === "instance" ? "attribute" : `${r.method} ${r.segments[1]}`));
    expect(order.indexOf("attribute")).toBeLessThan(order.indexOf(`DELETE ${ALIAS_A}`));
  });

  test("an unusable tf.prev_input skips the cleanup with a warning", async () => {
    lex.addAlias(ALIAS_A);

    const result = await handler(event("update", [ALIAS_A], { botAliasArns: "not-a-list" }));

    expect(result.removed).toEqual([]);
    expect(logs.at("warn")[0]).toMatchObject({ detail: expect.stringContaining("tf.prev_input.botAliasArns must be an array") });
  });
});

describe("chat-message-streaming: delete", () => {
  test("removes the kit's statements and leaves MESSAGE_STREAMING as it is", async () => {
    lex.addAlias(ALIAS_A, [connectAssociationStatement(ALIAS_A), kitStatement(ALIAS_A)]);
    lex.addAlias(ALIAS_B, [kitStatement(ALIAS_B)]);
    lex.addAlias(ALIAS_C, [connectAssociationStatement(ALIAS_C)]);

    const result = await handler(event("delete", [ALIAS_A, ALIAS_B, ALIAS_C], event("create", [ALIAS_A, ALIAS_B, ALIAS_C])));

    expect(result).toEqual({
      status: "OK",
      action: "delete",
      instanceId: INSTANCE_ID,
      messageStreaming: "left as is",
      aliases: [
        { arn: ALIAS_A, statement: "deleted" },
        { arn: ALIAS_B, statement: "deleted" },
        { arn: ALIAS_C, statement: "absent" },
      ],
      removed: [],
    });
    expect(connectCalls()).toHaveLength(0);
    expect(lex.statements(ALIAS_A).map((s) => s.Sid)).toEqual(["connect-bot-association"]);
    expect(lex.revision(ALIAS_B)).toBeUndefined();
    expect(lexCalls().filter((c) => c.startsWith("DELETE"))).toHaveLength(2);
    expect(logs.lines.some((l) => l.message === "MESSAGE_STREAMING left as it is")).toBe(true);
  });

  test("an alias that no longer exists counts as done", async () => {
    const result = await handler(event("delete", [ALIAS_A]));

    expect(result.aliases).toEqual([{ arn: ALIAS_A, statement: "absent" }]);
  });
});

describe("chat-message-streaming: failures throw with a clear message", () => {
  test.each(TARGETS)("Lex AccessDenied on one alias: names the alias and the error, does not turn streaming on (%s)", async (target) => {
    lex.addAlias(ALIAS_A);
    lex.addAlias(ALIAS_B);
    server.respond((request) => {
      if (request.segments[0] === "instance") return ok({});
      if (request.segments[1] === ALIAS_B) return awsError(403, "AccessDeniedException", "not authorized to perform lex:DescribeResourcePolicy");
      return lex.handle(request)!;
    });

    const failure = handlerFor(target, "chat-message-streaming", handler)(event("create", [ALIAS_A, ALIAS_B]));

    await expect(failure).rejects.toThrow(
      `chat-message-streaming (create, instance ${INSTANCE_ID}): grant of policy statement "${STATEMENT_ID}" (lex:RecognizeMessageAsync for Connect) failed for 1 bot alias(es): ${ALIAS_B}: AccessDeniedException: not authorized to perform lex:DescribeResourcePolicy`,
    );
    expect(connectCalls()).toHaveLength(0);
    expect(lex.statements(ALIAS_A).map((s) => s.Sid)).toEqual([STATEMENT_ID]);
    expect(logs.at("error").map((l) => l.message)).toEqual(["grant failed", "message streaming failed"]);
  });

  test("an alias that does not exist fails the create", async () => {
    await expect(handler(event("create", [ALIAS_A]))).rejects.toThrow(/ResourceNotFoundException: Could not find the resource/);
  });

  test("Connect AccessDenied on UpdateInstanceAttribute", async () => {
    connectReply = () => awsError(403, "AccessDeniedException", "not authorized to perform connect:UpdateInstanceAttribute");

    await expect(handler(event("create", []))).rejects.toThrow(
      `UpdateInstanceAttribute MESSAGE_STREAMING=true failed on Connect instance ${INSTANCE_ID}: AccessDeniedException: not authorized to perform connect:UpdateInstanceAttribute`,
    );
  });

  test("Connect ResourceNotFound (wrong instance)", async () => {
    connectReply = () => awsError(404, "ResourceNotFoundException", "Instance not found");

    await expect(handler(event("create", []))).rejects.toThrow(/failed on Connect instance .*: ResourceNotFoundException: Instance not found/);
  });

  test("a policy that keeps changing gives up after a bounded number of attempts", async () => {
    lex.addAlias(ALIAS_A, [connectAssociationStatement(ALIAS_A)]);
    lex.beforeWrite = (arn) => lex.touch(arn);

    await expect(handler(event("create", [ALIAS_A]))).rejects.toThrow(/PreconditionFailedException/);
    expect(lexCalls().filter((c) => c.startsWith("POST"))).toHaveLength(4);
  });
});

describe("chat-message-streaming: input is validated before any call", () => {
  const { tf: _tf, ...withoutTf } = event("create", [ALIAS_A]);
  test.each<[string, unknown, RegExp]>([
    ["not an object", [ALIAS_A], /input must be a JSON object/],
    ["instanceId not a UUID", event("create", [ALIAS_A], null, { instanceId: "my-instance" }), /instanceId must be the Connect instance UUID/],
    ["instanceArn of another instance", event("create", [ALIAS_A], null, { instanceArn: OTHER_INSTANCE_ARN }), /instanceArn names instance bbbbbbbb/],
    ["instanceArn not an ARN", event("create", [ALIAS_A], null, { instanceArn: INSTANCE_ID }), /instanceArn must be a Connect instance ARN/],
    ["accountId not 12 digits", event("create", [ALIAS_A], null, { accountId: "1234" }), /accountId must be a 12-digit AWS account id/],
    ["accountId differs from the instance's", event("create", [ALIAS_A], null, { accountId: "999988887777" }), /instanceArn is in account 111122223333, but accountId is 999988887777/],
    ["botAliasArns missing", event("create", undefined), /botAliasArns must be an array/],
    ["bot ARN instead of alias ARN", event("create", [`arn:aws:lex:${REGION}:${ACCOUNT}:bot/BOTAAAAAA1`]), /botAliasArns\[0\] must be a Lex V2 bot alias ARN/],
    ["alias in another account", event("create", [`arn:aws:lex:${REGION}:999988887777:bot-alias/BOTAAAAAA1/ALIASAAAA1`]), /cross-account/],
    ["no tf key", withoutTf, /lifecycle_scope = "CRUD"/],
    ["unknown tf.action", { ...event("create", [ALIAS_A]), tf: { action: "refresh", prev_input: null } }, /tf.action must be create, update or delete/],
  ])("%s", async (_name, input, expected) => {
    await expect(handler(input)).rejects.toThrow(expected);
    await expect(handler(input)).rejects.toThrow(/^chat-message-streaming: invalid input: /);
    expect(server.requests).toHaveLength(0);
    expect(logs.at("error").length).toBeGreaterThan(0);
  });
});
