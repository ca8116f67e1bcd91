import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_BRIDGE_MESSAGES } from "../../stacks/bridge/default-messages";
import { runSmoke } from "../../tools/smoke/index";
import { awsError, FakeAwsJsonServer, type RecordedRequest, useFakeAwsEnvironment } from "../support/fake-aws-json-server";
import { CHAT_FLOW_ID, type ChatScenario, FakeConnectChat, HANDOFF_QUEUE_ID, INSTANCE_ID, VOICE_FLOW_ID } from "../support/fake-connect-chat";

/**
 * The post-deploy smoke test against a loopback fake of the Connect and Participant APIs, through the
 * real SDK clients (AWS_ENDPOINT_URL_CONNECT / AWS_ENDPOINT_URL_CONNECTPARTICIPANT). dev chats in ja_JP
 * through the Bedrock bridge; limits are shortened with --answer-timeout so every scenario takes < 1.5 s.
 */

const JA = DEFAULT_BRIDGE_MESSAGES.ja_JP;
const QUESTION = "Amazon Connect とは何ですか？";
const HANDOFF = "担当者と話したい";
const ANSWER = "Amazon Connect はクラウド型のコンタクトセンターサービスです。";
const FAST = ["--answer-timeout", "0.5", "--grace", "0.3", "--poll-interval", "20", "--greeting-wait", "0.2"];

const server = new FakeAwsJsonServer();
let outputsFile: string;

const OUTPUTS = {
  "connect-instance-id": { sensitive: false, type: "string", value: INSTANCE_ID },
  "connect-instance-arn": { sensitive: false, type: "string", value: `arn:aws:connect:ap-northeast-1:123456789012:instance/${INSTANCE_ID}` },
  "chat-flow-id": { sensitive: false, type: "string", value: CHAT_FLOW_ID },
  "voice-flow-id": { sensitive: false, type: "string", value: `${INSTANCE_ID}:${VOICE_FLOW_ID}` },
  "handoff-queue-id": { sensitive: false, type: "string", value: HANDOFF_QUEUE_ID },
  "bedrock-bridge-bot-alias-arn": { sensitive: false, type: "string", value: "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST" },
  "q-in-connect-bot-alias-arn": { sensitive: false, type: "string", value: "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/BCDEFGHIJK/LMNOPQRSTU" },
};

function writeOutputs(outputs: Record<string, unknown>): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cc-smoke-")), "outputs.json");
  fs.writeFileSync(file, JSON.stringify(outputs));
  return file;
}

/** The bridge on chat: interim message at once, the answer `answerMs` later; the handoff phrase reaches TalkToAgent. */
function bridge(answerMs: number, answer = ANSWER, handoff: ChatScenario["react"] extends (...a: never[]) => infer R ? R : never = {
  messages: [{ afterMs: 10, content: "担当者におつなぎします。少々お待ちください。" }],
  handoff: { afterMs: 40, source: "TALK_TO_AGENT", queueId: HANDOFF_QUEUE_ID },
}): ChatScenario {
  return {
    greeting: { afterMs: 10, content: "お問い合わせありがとうございます。ご質問をどうぞ。" },
    react: (text) =>
      text === HANDOFF
        ? handoff
        : { messages: [{ afterMs: 15, content: JA.interim }, ...(answerMs >= 0 ? [{ afterMs: answerMs, content: answer }] : [])] },
  };
}

async function smoke(scenario: ChatScenario, args: readonly string[] = ["dev", ...FAST]) {
  const fake = new FakeConnectChat(scenario);
  server.respond(fake.responder);
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await runSmoke([...args, "--outputs", outputsFile], { log: (l) => out.push(l), error: (l) => err.push(l) });
  fake.stop();
  return { code, stdout: out.join("\n"), stderr: err.join("\n"), fake, requests: [...server.requests], ms: Date.now() - started };
}

const calls = (requests: RecordedRequest[], method: string, route: RegExp) => requests.filter((r) => r.method === method && route.test(r.rawPath));

beforeAll(async () => {
  useFakeAwsEnvironment("ap-northeast-1");
  const url = await server.start();
  process.env.AWS_ENDPOINT_URL_CONNECT = url;
  process.env.AWS_ENDPOINT_URL_CONNECTPARTICIPANT = url;
  outputsFile = writeOutputs(OUTPUTS);
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_CONNECT;
  delete process.env.AWS_ENDPOINT_URL_CONNECTPARTICIPANT;
  await server.stop();
});

describe("smoke test, full mode (dev: Bedrock bridge on chat, ja_JP)", () => {
  test("happy path: the answer after the interim message, then the handoff; exit 0", async () => {
    const run = await smoke(bridge(120));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^smoke test: contact-center-dev, chat in ja_JP \(bedrock-bridge\), contact contact-\d+$/m);
    expect(run.stdout).toMatch(/^ {2}PASS {2}"Amazon Connect とは何ですか？" {2}0\.\d s {2}ok: within 0\.5 s; interim message after 0\.0 s$/m);
    expect(run.stdout).toMatch(/^ {2}PASS {2}handoff "担当者と話したい" {2}\d\.\d s {2}handoffSource=TALK_TO_AGENT, in the handoff queue$/m);
    expect(run.stdout).toMatch(/^result: PASS$/m);
  });

  test("it starts the chat as the flows expect and speaks the Participant protocol", async () => {
    const run = await smoke(bridge(60));
    const [start] = calls(run.requests, "PUT", /^\/contact\/chat$/);
    expect(start.body).toMatchObject({
      InstanceId: INSTANCE_ID,
      ContactFlowId: CHAT_FLOW_ID,
      ParticipantDetails: { DisplayName: "Smoke test" },
      Attributes: { customerName: "Smoke test" },
    });
    const [connection] = calls(run.requests, "POST", /^\/participant\/connection$/);
    const chat = run.fake.chats[0];
    expect(connection.headers["x-amz-bearer"]).toBe(chat.participantToken);
    expect(connection.body).toEqual({ Type: ["CONNECTION_CREDENTIALS"], ConnectParticipant: true });
    const messages = calls(run.requests, "POST", /^\/participant\/message$/);
    expect(messages.map((m) => (m.body as { Content: string }).Content)).toEqual([QUESTION, HANDOFF]);
    expect(messages.every((m) => m.headers["x-amz-bearer"] === chat.connectionToken)).toBe(true);
    const transcripts = calls(run.requests, "POST", /^\/participant\/transcript$/);
    expect(transcripts.every((t) => (t.body as { SortOrder: string }).SortOrder === "ASCENDING")).toBe(true);
    expect(transcripts.some((t) => (t.body as { NextToken?: string }).NextToken)).toBe(true);
    expect(calls(run.requests, "GET", new RegExp(`^/contact/attributes/${INSTANCE_ID}/${chat.contactId}$`)).length).toBeGreaterThan(0);
    expect(calls(run.requests, "GET", new RegExp(`^/contacts/${INSTANCE_ID}/${chat.contactId}$`)).length).toBeGreaterThan(0);
    const disconnects = calls(run.requests, "POST", /^\/participant\/disconnect$/);
    expect(disconnects).toHaveLength(1);
    expect(disconnects[0].headers["x-amz-bearer"]).toBe(chat.connectionToken);
    expect(chat.disconnected).toBe(true);
  });

  test("a slow answer still within the limit passes, with its time", async () => {
    const run = await smoke(bridge(380));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PASS {2}"Amazon Connect とは何ですか？" {2}0\.[34] s {2}ok/);
  });

  test("an answer past the limit fails as late", async () => {
    const run = await smoke(bridge(650));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL {2}"Amazon Connect とは何ですか？" {2}0\.[67] s {2}late: answered after 0\.[67] s, past the limit of 0\.5 s/);
    expect(run.stdout).toMatch(/^result: FAIL$/m);
  });

  test("the apology fails, even in time", async () => {
    const run = await smoke(bridge(50, JA.apology));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("apology: the bot apologized instead of answering");
  });

  test("the expired text counts as an apology too", async () => {
    const run = await smoke(bridge(50, JA.expired));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("apology:");
  });

  test("only the interim message (and the greeting before the question) is no answer", async () => {
    const run = await smoke(bridge(-1));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("missing: no answer within 0.8 s (only the interim message)");
    expect(run.ms).toBeLessThan(3000);
  });

  test("an answer that does not match the configured expectation fails", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-smoke-config-"));
    const dev = (await import("../../config/environments/dev")).default;
    fs.writeFileSync(
      path.join(dir, "dev.json"),
      JSON.stringify({ ...dev, smoke: { ja_JP: { questions: [{ text: QUESTION, expect: "コンタクトセンター", mustNotMatch: "Zendesk" }], handoffPhrase: HANDOFF } } }),
    );
    process.env.CONTACT_CENTER_CONFIG_DIR = dir;
    try {
      expect((await smoke(bridge(40))).code).toBe(0);
      const wrong = await smoke(bridge(40, "Zendesk のコンタクトセンターです。"));
      expect(wrong.code).toBe(1);
      expect(wrong.stdout).toContain("unexpected: the answer matches /Zendesk/, which it must not");
      const other = await smoke(bridge(40, "わかりません。"));
      expect(other.stdout).toContain("unexpected: the answer does not match /コンタクトセンター/");
    } finally {
      delete process.env.CONTACT_CENTER_CONFIG_DIR;
    }
  });

  test("the handoff not taken fails", async () => {
    const run = await smoke(bridge(40, ANSWER, { messages: [{ afterMs: 10, content: "もう一度お願いします。" }] }));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL {2}handoff "担当者と話したい" {2}- {2}not handed to an agent within 0\.8 s \(no handoffSource attribute, in no queue\)/);
  });

  test("the handoff attribute alone counts as taken; the queue alone too", async () => {
    const attributeOnly = await smoke(bridge(40, ANSWER, { handoff: { afterMs: 20, source: "TOOL" } }));
    expect(attributeOnly.code).toBe(0);
    expect(attributeOnly.stdout).toContain("handoffSource=TOOL, in no queue");
    const queueOnly = await smoke(bridge(40, ANSWER, { handoff: { afterMs: 20, queueId: HANDOFF_QUEUE_ID } }));
    expect(queueOnly.code).toBe(0);
    expect(queueOnly.stdout).toContain("no handoffSource attribute, in the handoff queue");
  });

  test("a handoff because of an error fails, as does a contact in another queue", async () => {
    const error = await smoke(bridge(40, ANSWER, { handoff: { afterMs: 20, source: "ERROR", queueId: HANDOFF_QUEUE_ID } }));
    expect(error.code).toBe(1);
    expect(error.stdout).toContain("the flow handed the contact over because of an error, not the request (handoffSource=ERROR, in the handoff queue)");
    const elsewhere = await smoke(bridge(40, ANSWER, { handoff: { afterMs: 20, queueId: "other-queue" } }));
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain(`in queue other-queue, not the handoff queue ${HANDOFF_QUEUE_ID}`);
  });

  test("a chat the flow ends before answering fails without a handoff check", async () => {
    const run = await smoke({ react: () => ({ endAfterMs: 30 }) });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("chat-ended: the chat ended before an answer came");
    expect(run.stdout).toContain("FAIL  handoff not checked: the chat ended");
    expect(calls(run.requests, "POST", /^\/participant\/message$/)).toHaveLength(1);
  });

  test("StartChatContact rejected (4xx): a clear error, exit 1, no participant calls", async () => {
    const run = await smoke({ ...bridge(40), startChat: awsError(400, "InvalidParameterException", "ContactFlowId is not a published flow") });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("smoke test failed: StartChatContact failed: InvalidParameterException: ContactFlowId is not a published flow (HTTP 400)");
    expect(run.requests.filter((r) => r.rawPath.startsWith("/participant"))).toEqual([]);
  });

  test("a missing flow output names the outputs there are", async () => {
    const { "chat-flow-id": _chat, ...rest } = OUTPUTS;
    const saved = outputsFile;
    outputsFile = writeOutputs(rest);
    try {
      const run = await smoke(bridge(40));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^smoke test failed: the stack has no output "chat-flow-id" \(outputs: bedrock-bridge-bot-alias-arn, connect-instance-arn, connect-instance-id, handoff-queue-id/);
    } finally {
      outputsFile = saved;
    }
  });

  test("usage errors exit 1 with the usage text", async () => {
    const run = await smoke(bridge(40), ["dev", "--read-only", "--full"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--read-only and --full exclude each other");
    expect(run.stderr).toContain("usage: npx tsx tools/smoke/index.ts <env>");
  });
});

describe("smoke test, read-only mode", () => {
  const published = {
    flows: {
      [CHAT_FLOW_ID]: { name: "cc-prod-chat", state: "ACTIVE", status: "PUBLISHED" },
      [VOICE_FLOW_ID]: { name: "cc-prod-voice", state: "ACTIVE", status: "PUBLISHED" },
    },
    queues: { [HANDOFF_QUEUE_ID]: { name: "cc-prod-handoff", status: "ENABLED" } },
  };

  test("prod (pipeline.smokeMode read-only) starts no contact and checks flows, queue and bots", async () => {
    const run = await smoke({ react: () => ({}), ...published }, ["prod"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("smoke test (read-only, no contact started): contact-center-prod");
    expect(run.stdout).toContain('PASS  chat-flow-id: flow "cc-prod-chat": state ACTIVE, status PUBLISHED');
    expect(run.stdout).toContain('PASS  voice-flow-id: flow "cc-prod-voice": state ACTIVE, status PUBLISHED');
    expect(run.stdout).toContain('PASS  handoff-queue-id: queue "cc-prod-handoff": status ENABLED');
    expect(run.stdout).toContain("PASS  q-in-connect-bot-alias-arn: arn:aws:lex:");
    expect(calls(run.requests, "PUT", /^\/contact\/chat$/)).toEqual([]);
    expect(calls(run.requests, "GET", new RegExp(`^/contact-flows/${INSTANCE_ID}/${VOICE_FLOW_ID}$`))).toHaveLength(1);
  });

  test("--read-only on dev; an unpublished flow and an unknown queue fail", async () => {
    const run = await smoke(
      { react: () => ({}), flows: { ...published.flows, [CHAT_FLOW_ID]: { name: "cc-dev-chat", state: "ACTIVE", status: "SAVED" } }, queues: {} },
      ["dev", "--read-only"],
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAIL  chat-flow-id: flow "cc-dev-chat": state ACTIVE, status SAVED (expected ACTIVE, PUBLISHED)');
    expect(run.stdout).toContain(`FAIL  handoff-queue-id: DescribeQueue failed: ResourceNotFoundException: queue ${HANDOFF_QUEUE_ID} not found (HTTP 404)`);
    expect(run.stdout).toMatch(/^result: FAIL$/m);
  });

  test("--full overrides prod's read-only setting", async () => {
    const run = await smoke(bridge(40), ["prod", "--full", ...FAST]);
    expect(calls(run.requests, "PUT", /^\/contact\/chat$/)).toHaveLength(1);
  });
});
