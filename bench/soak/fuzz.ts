/**
 * Fuzzing of every handler with generated malformed events (mutate.ts), seeded.
 *
 * Each handler runs as its built bundle (or its source) in a warm Node process of its own (the simulator's
 * FunctionHost), so an uncaught exception or unhandled rejection shows as a dead process instead of taking
 * the runner down; cases go to it one after another over IPC (about a millisecond each). Its AWS services
 * are loopback ones of its own, which record every request: dynalite behind a recording proxy (the
 * bridge's turn table), the Bedrock endpoint, the Lambda endpoint (the worker's async invoke, accepted and
 * dropped), and a REST-JSON server for Q in Connect, Connect and Lex model building.
 *
 * What must hold for every case:
 * - Lex- and Connect-facing handlers (lex-fulfillment, answer-poller, qconnect-session) return a valid
 *   response (a Lex V2 response; a flat string map with the keys the flow reads) and never throw; the
 *   async worker returns normally and calls no model for an event that names no claimable turn.
 * - Custom resources (assistant-default-agent, chat-message-streaming, phone-number-flow,
 *   connect-integration) either succeed or throw a plain Error, `<name>: invalid input: ...` naming a field
 *   the case changed (and then make no AWS call at all), or `<name> (<action>, <subject>): ...` for a
 *   failed call; never another kind of error.
 * - No handler sends a fuzzer-made string (SENTINEL) to AWS where it would be an identifier: DynamoDB
 *   keys and table names, and every path, query and body value of the REST-JSON APIs (tag values of
 *   connect-integration excepted: they are free text, checked for type and length).
 * - No handler process dies or writes to stderr.
 */
import { performance } from "node:perf_hooks";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { environmentFor } from "../../flows/simulator/integration/simulation";
import { FunctionHost, type HostInvocation, type HostTarget } from "../../flows/simulator/integration/function-host";
import { codeHookEvent } from "../../flows/simulator/integration/lex-bot";
import { FakeAwsJsonServer, FakeBedrock, FakeLambda, type RecordedRequest, answerReply, awsError, ok, startDynalite } from "../../flows/simulator/integration/loopback";
import type { StackFunction } from "../../flows/simulator/integration/synthesized-stack";
import { AnswerPoller, HANDOFF_FIELDS, LEX_CHANNEL_PLATFORM_ATTRIBUTE, QConnectSession } from "../../functions/shared/flow-contract";
import { buildBridgeSettings } from "../../stacks/bridge/bridge-settings";
import { buildPackage } from "../../stacks/lambda/bundle";
import { FaultInjectingProxy, type ProxiedRequest } from "../../__tests__/support/fault-injecting-proxy";
import { flatStringMapProblems, lexResponseProblems } from "./checks";
import { type Json, type Mutated, SENTINEL, mutate } from "./mutate";
import { Random } from "./random";

export const FUZZED_HANDLERS = [
  "lex-fulfillment",
  "answer-poller",
  "bedrock-worker",
  "qconnect-session",
  "assistant-default-agent",
  "chat-message-streaming",
  "phone-number-flow",
  "connect-integration",
] as const;
export type FuzzedHandler = (typeof FUZZED_HANDLERS)[number];

export interface FuzzSetup {
  readonly seed: number;
  readonly casesPerHandler: number;
  readonly target?: HostTarget;
  readonly handlers?: readonly FuzzedHandler[];
  readonly progress?: (line: string) => void;
}

export interface FuzzFinding {
  readonly handler: FuzzedHandler;
  readonly caseIndex: number;
  readonly problem: string;
  readonly mutation: string;
  /** The event, cut to 600 characters of JSON. */
  readonly event: string;
}

export interface HandlerFuzzReport {
  readonly handler: FuzzedHandler;
  readonly cases: number;
  /** What the handler answered, by kind (bridgeStatus, poll status, OK / invalid input / AWS call failed, ...). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Requests its AWS services received. */
  readonly awsRequests: number;
  readonly findings: readonly FuzzFinding[];
  readonly restarts: number;
  readonly ms: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly target: HostTarget;
  readonly handlers: readonly HandlerFuzzReport[];
  readonly wallMs: number;
}

// ---- fixed identities of the valid base events ------------------------------------------------------

const REGION = "ap-northeast-1";
const ACCOUNT = "111122223333";
const ASSISTANT_ID = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
const AGENT_CHAT = "11111111-2222-4333-8444-555555555555:3";
const AGENT_VOICE = "66666666-7777-4888-9999-aaaaaaaaaaaa:7";
const INSTANCE_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;
const CONTACT = "5d1b9e4a-2c3f-4e5d-8a7b-6c5d4e3f2a1b";
const DONE_TURN = "0lz7k2q1c-4b7d9e2a";
const PENDING_LOOKALIKE_TURN = "0lz7k2q1d-00000000";
const TABLE = "cc-fuzz-bridge-turns";
const WORKER = "cc-fuzz-bedrock-worker";

const lexBot = { botId: "BOTID12345", botName: "cc-fuzz-bedrock-bridge", aliasId: "ALIASID123", aliasName: "live" };

function lexBase(channel: "CHAT" | "VOICE", text: string): Json {
  return codeHookEvent(
    {
      input: text,
      inputMode: channel === "CHAT" ? "Text" : "Speech",
      sessionId: CONTACT,
      sessionAttributes: { contactId: CONTACT, channel, customerName: "Fuzz" },
      requestAttributes: channel === "CHAT" ? { [LEX_CHANNEL_PLATFORM_ATTRIBUTE]: "Connect Chat" } : {},
    },
    lexBot,
    "FallbackIntent",
    channel === "CHAT" ? "ja_JP" : "en_US",
  ) as Json;
}

function connectBase(parameters: Record<string, string>, channel = "CHAT"): Json {
  return {
    Name: "ContactFlowEvent",
    Details: {
      ContactData: {
        Attributes: { customerName: "Fuzz" },
        Channel: channel,
        ContactId: CONTACT,
        InitialContactId: CONTACT,
        InitiationMethod: "API",
        InstanceARN: INSTANCE_ARN,
        LanguageCode: "ja-JP",
        PreviousContactId: CONTACT,
        Queue: null,
        SystemEndpoint: null,
        CustomerEndpoint: channel === "VOICE" ? { Address: "+81312345678", Type: "TELEPHONE_NUMBER" } : null,
      },
      Parameters: parameters,
    },
  };
}

const tf = (action: string, prev: Json = null): Json => ({ action, prev_input: prev });
const SESSION_ARN = `arn:aws:wisdom:${REGION}:${ACCOUNT}:session/${ASSISTANT_ID}/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d`;
const ALIAS = (bot: string, alias: string) => `arn:aws:lex:${REGION}:${ACCOUNT}:bot-alias/${bot}/${alias}`;
const ASSISTANT_ARN = `arn:aws:wisdom:${REGION}:${ACCOUNT}:assistant/${ASSISTANT_ID}`;
const KB_ARN = `arn:aws:wisdom:${REGION}:${ACCOUNT}:knowledge-base/4b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d`;

type Kind = "lex" | "connect" | "async" | "custom-resource";

interface HandlerSpec {
  readonly kind: Kind;
  readonly bases: readonly Json[];
  readonly environment: Record<string, string>;
  readonly bridgeSettings?: boolean;
  /** Connect results: the keys the flow reads and the statuses it branches on. */
  readonly keys?: readonly string[];
  readonly statuses?: readonly string[];
  /** The AWS JSON APIs it calls (endpoint variables pointed at its own server). */
  readonly apis?: readonly string[];
  readonly timeoutSeconds: number;
}

const SPECS: Readonly<Record<FuzzedHandler, HandlerSpec>> = {
  "lex-fulfillment": {
    kind: "lex",
    bases: [lexBase("CHAT", "営業時間は？"), lexBase("VOICE", "What are your opening hours?"), { ...(lexBase("CHAT", "hi") as Record<string, Json>), invocationSource: "DialogCodeHook" }],
    environment: { TABLE_NAME: TABLE, WORKER_FUNCTION_NAME: WORKER },
    bridgeSettings: true,
    timeoutSeconds: 62,
  },
  "answer-poller": {
    kind: "connect",
    bases: [connectBase({ turnId: DONE_TURN, pollCount: "0" }), connectBase({ turnId: PENDING_LOOKALIKE_TURN, pollCount: "3" })],
    environment: { TABLE_NAME: TABLE },
    bridgeSettings: true,
    keys: [...Object.values(AnswerPoller.result), ...HANDOFF_FIELDS],
    statuses: Object.values(AnswerPoller.status),
    timeoutSeconds: 9,
  },
  "bedrock-worker": {
    kind: "async",
    bases: [
      { v: 1, contactId: CONTACT, turnId: DONE_TURN },
      { v: 1, contactId: CONTACT, turnId: PENDING_LOOKALIKE_TURN },
    ],
    environment: { TABLE_NAME: TABLE },
    bridgeSettings: true,
    timeoutSeconds: 95,
  },
  "qconnect-session": {
    kind: "connect",
    bases: [connectBase({ sessionArn: SESSION_ARN }), connectBase({ sessionArn: SESSION_ARN, channel: "VOICE" }, "VOICE")],
    environment: { ASSISTANT_ID, AGENT_CHAT, AGENT_VOICE },
    keys: Object.values(QConnectSession.result),
    statuses: Object.values(QConnectSession.status),
    apis: ["AWS_ENDPOINT_URL_QCONNECT"],
    timeoutSeconds: 5,
  },
  "assistant-default-agent": {
    kind: "custom-resource",
    bases: [
      { assistantId: ASSISTANT_ID, aiAgentType: "SELF_SERVICE", aiAgentId: AGENT_VOICE, tf: tf("create") },
      { assistantId: ASSISTANT_ID, aiAgentType: "SELF_SERVICE", aiAgentId: AGENT_CHAT, tf: tf("update", { assistantId: "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f", aiAgentType: "ANSWER_RECOMMENDATION", aiAgentId: AGENT_VOICE }) },
      { assistantId: ASSISTANT_ID, aiAgentType: "SELF_SERVICE", aiAgentId: AGENT_VOICE, tf: tf("delete") },
    ],
    environment: {},
    apis: ["AWS_ENDPOINT_URL_QCONNECT"],
    timeoutSeconds: 180,
  },
  "chat-message-streaming": {
    kind: "custom-resource",
    bases: [
      { instanceId: INSTANCE_ID, instanceArn: INSTANCE_ARN, accountId: ACCOUNT, botAliasArns: [ALIAS("BOTAAAAAAA", "ALIASAAAAA"), ALIAS("BOTBBBBBBB", "ALIASBBBBB")], tf: tf("create") },
      { instanceId: INSTANCE_ID, instanceArn: INSTANCE_ARN, accountId: ACCOUNT, botAliasArns: [ALIAS("BOTAAAAAAA", "ALIASAAAAA")], tf: tf("update", { botAliasArns: [ALIAS("BOTCCCCCCC", "ALIASCCCCC")] }) },
      { instanceId: INSTANCE_ID, instanceArn: INSTANCE_ARN, accountId: ACCOUNT, botAliasArns: [ALIAS("BOTAAAAAAA", "ALIASAAAAA")], tf: tf("delete") },
    ],
    environment: {},
    apis: ["AWS_ENDPOINT_URL_CONNECT", "AWS_ENDPOINT_URL_LEX_MODELS_V2"],
    timeoutSeconds: 180,
  },
  "phone-number-flow": {
    kind: "custom-resource",
    bases: [
      { instanceId: INSTANCE_ID, phoneNumberId: "12345678-90ab-4cde-8f01-234567890abc", contactFlowId: "fedcba98-7654-4321-8fed-cba987654321", tf: tf("create") },
      {
        instanceId: INSTANCE_ID,
        phoneNumberId: "12345678-90ab-4cde-8f01-234567890abc",
        contactFlowId: "fedcba98-7654-4321-8fed-cba987654321",
        tf: tf("update", { instanceId: INSTANCE_ID, phoneNumberId: "22345678-90ab-4cde-8f01-234567890abc", contactFlowId: "fedcba98-7654-4321-8fed-cba987654321" }),
      },
      { instanceId: INSTANCE_ID, phoneNumberId: "12345678-90ab-4cde-8f01-234567890abc", contactFlowId: "fedcba98-7654-4321-8fed-cba987654321", tf: tf("delete") },
    ],
    environment: {},
    apis: ["AWS_ENDPOINT_URL_CONNECT"],
    timeoutSeconds: 180,
  },
  "connect-integration": {
    kind: "custom-resource",
    bases: [
      { instanceArn: INSTANCE_ARN, integrationType: "WISDOM_ASSISTANT", integrationArn: ASSISTANT_ARN, tags: { project: "contact-center-kit", environment: "fuzz" }, tf: tf("create") },
      {
        instanceArn: INSTANCE_ARN,
        integrationType: "WISDOM_KNOWLEDGE_BASE",
        integrationArn: KB_ARN,
        tf: tf("update", { instanceArn: INSTANCE_ARN, integrationType: "WISDOM_ASSISTANT", integrationArn: ASSISTANT_ARN }),
      },
      { instanceArn: INSTANCE_ARN, integrationType: "WISDOM_ASSISTANT", integrationArn: ASSISTANT_ARN, tf: tf("delete") },
    ],
    environment: {},
    apis: ["AWS_ENDPOINT_URL_CONNECT"],
    timeoutSeconds: 180,
  },
};

/** Plausible answers for every REST-JSON call the custom resources and qconnect-session make. */
function respondLikeAws(request: RecordedRequest) {
  const [first, , second] = request.segments;
  if (first === "instance" && second === "integration-associations") {
    if (request.method === "GET") return ok({ IntegrationAssociationSummaryList: [] });
    if (request.method === "PUT") return ok({ IntegrationAssociationId: "0f0f0f0f-0000-4000-8000-000000000001", IntegrationAssociationArn: `${INSTANCE_ARN}/integration-association/0f0f0f0f-0000-4000-8000-000000000001` });
  }
  if (first === "policy" && request.method === "GET") return awsError(404, "ResourceNotFoundException", "no resource policy");
  if (first === "assistants" && request.segments[2] === "sessions") return ok({ session: { sessionId: request.segments[3], sessionArn: SESSION_ARN, name: CONTACT } });
  return ok({});
}

/** Strings anywhere in a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

interface Recorders {
  readonly dynamo: ProxiedRequest[];
  readonly api: RecordedRequest[];
  readonly bedrock: () => number;
}

function sentinelProblems(handler: FuzzedHandler, dynamo: readonly ProxiedRequest[], api: readonly RecordedRequest[]): string[] {
  const problems: string[] = [];
  for (const request of dynamo) {
    if ((request.key ?? "").includes(SENTINEL) || (request.table ?? "").includes(SENTINEL)) problems.push(`DynamoDB ${request.operation} with a fuzzer-made key ${(request.key ?? "").slice(0, 80)}`);
  }
  for (const request of api) {
    const body = (request.body && typeof request.body === "object" ? { ...(request.body as Record<string, unknown>) } : request.body) as Record<string, unknown> | undefined;
    if (handler === "connect-integration" && body && typeof body === "object") delete body.Tags;
    const values = [decodeURIComponent(request.rawPath), ...strings(request.query), ...strings(body)];
    const found = values.find((value) => value.includes(SENTINEL));
    if (found) problems.push(`${request.method} ${request.rawPath.slice(0, 80)} carried a fuzzer-made value ${JSON.stringify(found).slice(0, 80)}`);
  }
  return problems;
}

function judge(handler: FuzzedHandler, spec: HandlerSpec, mutated: Mutated, invocation: HostInvocation | undefined, newBedrock: number): { outcome: string; problems: string[] } {
  if (!invocation) return { outcome: "no answer", problems: ["no answer within 30 s"] };
  if (!invocation.ok && invocation.error?.name === "HostExited") return { outcome: "process died", problems: [`the process died: ${invocation.error.message.slice(0, 300)}`] };
  const problems: string[] = [];
  switch (spec.kind) {
    case "lex": {
      if (!invocation.ok) return { outcome: "threw", problems: [`threw toward Lex: ${invocation.error?.name}: ${invocation.error?.message}`] };
      problems.push(...lexResponseProblems(invocation.result, mutated.event));
      const result = invocation.result as { sessionState?: { dialogAction?: { type?: string }; sessionAttributes?: Record<string, string> } };
      const outcome = result?.sessionState?.dialogAction?.type === "Delegate" ? "Delegate" : `Close ${result?.sessionState?.sessionAttributes?.bridgeStatus ?? "?"}`;
      return { outcome, problems };
    }
    case "connect": {
      if (!invocation.ok) return { outcome: "threw", problems: [`threw toward Connect: ${invocation.error?.name}: ${invocation.error?.message}`] };
      problems.push(...flatStringMapProblems(invocation.result, spec.keys));
      const status = (invocation.result as Record<string, unknown> | undefined)?.status;
      if (!spec.statuses?.includes(String(status))) problems.push(`status ${JSON.stringify(status)}`);
      return { outcome: String(status), problems };
    }
    case "async": {
      if (!invocation.ok) return { outcome: "threw", problems: [`threw: ${invocation.error?.name}: ${invocation.error?.message}`] };
      if (invocation.result !== undefined) problems.push(`returned ${JSON.stringify(invocation.result).slice(0, 80)}`);
      if (newBedrock > 0) problems.push(`called the model ${newBedrock} times for an event that names no claimable turn`);
      return { outcome: "returned", problems };
    }
    case "custom-resource": {
      if (invocation.ok) {
        const status = (invocation.result as { status?: unknown } | undefined)?.status;
        if (status !== "OK") problems.push(`returned ${JSON.stringify(invocation.result).slice(0, 120)}`);
        return { outcome: "OK", problems };
      }
      const { name, message } = invocation.error ?? { name: "?", message: "" };
      if (name !== "Error") problems.push(`threw ${name} (not a plain Error): ${message.slice(0, 200)}`);
      if (message.startsWith(`${handler}: invalid input: `)) {
        const detail = message.slice(`${handler}: invalid input: `.length);
        const named = mutated.replacedWhole ? /input must be a JSON object/.test(detail) : mutated.touched.some((field) => detail.includes(field));
        if (!named) problems.push(`the invalid-input error names none of the fields the case changed (${mutated.touched.join(", ")}): ${detail.slice(0, 200)}`);
        return { outcome: "invalid input", problems };
      }
      if (message.startsWith(`${handler} (`)) return { outcome: "AWS call failed", problems };
      problems.push(`an error of another kind: ${name}: ${message.slice(0, 200)}`);
      return { outcome: "other error", problems };
    }
  }
}

export async function runFuzz(setup: FuzzSetup): Promise<FuzzReport> {
  const started = performance.now();
  const target = setup.target ?? "bundle";
  const progress = setup.progress ?? (() => undefined);
  const handlers = setup.handlers ?? FUZZED_HANDLERS;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const env = environmentFor("dev");
  const settings = JSON.stringify(buildBridgeSettings(env));

  const dynalite = await startDynalite(TABLE);
  const lambda = await FakeLambda.start({ [WORKER]: async () => undefined });
  const seedTable = new DynamoDBClient({ endpoint: dynalite.endpoint, region: REGION, credentials: { accessKeyId: "AKIDFUZZ", secretAccessKey: "fuzz" } });
  const now = Date.now();
  await seedTable.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: {
        pk: { S: CONTACT },
        sk: { S: DONE_TURN },
        status: { S: "DONE" },
        utterance: { S: "営業時間は？" },
        locale: { S: "ja_JP" },
        channel: { S: "chat" },
        createdAt: { N: String(now) },
        deadlineAt: { N: String(now + 90_000) },
        expiresAt: { N: String(Math.floor(now / 1000) + 86_400) },
        answer: { S: "9:00-18:00" },
        tool: { S: "ANSWER" },
        claims: { N: "1" },
      },
    }),
  );
  seedTable.destroy();

  const closers: (() => Promise<void>)[] = [() => dynalite.close(), () => lambda.close()];
  try {
    const reports = await Promise.all(
      handlers.map(async (handler, handlerIndex): Promise<HandlerFuzzReport> => {
        const spec = SPECS[handler];
        const handlerStarted = performance.now();
        // Services of its own, so every request is this handler's.
        const bedrock = await FakeBedrock.start();
        bedrock.onConverse = () => answerReply("fuzz answer");
        closers.push(() => bedrock.close());
        const recorders: Recorders = { dynamo: [], api: [], bedrock: () => bedrock.converseCalls.length };
        const environment: Record<string, string> = {
          AWS_REGION: REGION,
          AWS_DEFAULT_REGION: REGION,
          AWS_ACCESS_KEY_ID: "AKIDFUZZ",
          AWS_SECRET_ACCESS_KEY: "fuzz-secret",
          AWS_CONFIG_FILE: "/nonexistent/aws-config",
          AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
          AWS_EC2_METADATA_DISABLED: "true",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          ENVIRONMENT_NAME: "fuzz",
          AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
          AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: bedrock.endpoint,
          AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
          ...spec.environment,
        };
        if (spec.bridgeSettings) {
          const proxy = new FaultInjectingProxy(dynalite.endpoint);
          proxy.decide = (request) => {
            recorders.dynamo.push({ ...request, body: undefined });
            return { kind: "pass" };
          };
          environment.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
          closers.push(() => proxy.stop());
        }
        if (spec.apis) {
          const server = new FakeAwsJsonServer();
          const url = await server.start();
          server.respond((request) => {
            recorders.api.push(request);
            return respondLikeAws(request);
          });
          for (const variable of spec.apis) environment[variable] = url;
          closers.push(() => server.stop());
        }
        const pkg = buildPackage(handler, spec.bridgeSettings ? { "settings.json": settings } : {});
        const fn: StackFunction = {
          address: `aws_lambda_function.${handler}`,
          functionName: `cc-fuzz-${handler}`,
          arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:cc-fuzz-${handler}`,
          zipPath: pkg.zipPath,
          handler: "index.handler",
          timeoutSeconds: spec.timeoutSeconds,
          environment: { NODE_OPTIONS: "--enable-source-maps" },
          constructPath: `fuzz/${handler}/function`,
        };
        let host = await FunctionHost.start(fn, { target, environment });
        let restarts = 0;
        const outcomes: Record<string, number> = {};
        const findings: FuzzFinding[] = [];
        const random = new Random(setup.seed).fork(handler);
        try {
          for (let index = 0; index < setup.casesPerHandler; index += 1) {
            const mutated = mutate(random.pick(spec.bases), random);
            const dynamoFrom = recorders.dynamo.length;
            const apiFrom = recorders.api.length;
            const bedrockFrom = recorders.bedrock();
            let timer: NodeJS.Timeout | undefined;
            const invocation = await Promise.race([host.invoke(mutated.event), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 30_000)))]);
            clearTimeout(timer);
            const newApi = recorders.api.slice(apiFrom);
            const { outcome, problems } = judge(handler, spec, mutated, invocation, recorders.bedrock() - bedrockFrom);
            if (outcome === "invalid input" && newApi.length) problems.push(`invalid input, yet ${newApi.length} AWS call(s): ${newApi.map((r) => `${r.method} ${r.rawPath}`).join(", ").slice(0, 200)}`);
            problems.push(...sentinelProblems(handler, recorders.dynamo.slice(dynamoFrom), newApi));
            const stderr = host.stderr.trim();
            if (stderr) problems.push(`stderr: ${stderr.slice(-400)}`);
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
            for (const problem of problems) {
              findings.push({ handler, caseIndex: index, problem, mutation: mutated.description, event: JSON.stringify(mutated.event)?.slice(0, 600) ?? String(mutated.event) });
            }
            if (!invocation || (!invocation.ok && invocation.error?.name === "HostExited") || stderr) {
              // A fresh execution environment for the next case.
              await host.stop().catch(() => undefined);
              host = await FunctionHost.start(fn, { target, environment });
              restarts += 1;
            }
          }
        } finally {
          await host.stop().catch(() => undefined);
        }
        const ms = performance.now() - handlerStarted;
        progress(`fuzz ${handler}: ${setup.casesPerHandler} cases in ${(ms / 1000).toFixed(1)} s, ${findings.length} findings (${handlerIndex + 1}/${handlers.length})`);
        return { handler, cases: setup.casesPerHandler, outcomes, awsRequests: recorders.dynamo.length + recorders.api.length, findings, restarts, ms };
      }),
    );
    return { seed: setup.seed, target, handlers: reports, wallMs: performance.now() - started };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}
