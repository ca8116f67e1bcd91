import {
  type ConnectClient,
  DescribeContactCommand,
  GetContactAttributesCommand,
  StartChatContactCommand,
} from "@aws-sdk/client-connect";
import {
  type ConnectParticipantClient,
  CreateParticipantConnectionCommand,
  DisconnectParticipantCommand,
  GetTranscriptCommand,
  type Item,
  SendMessageCommand,
} from "@aws-sdk/client-connectparticipant";
import { ContactAttribute, HandoffSource } from "../../functions/shared/flow-contract";
import { pattern, type SmokePlan } from "./expectations";

/** The clients the smoke test talks through; tests pass clients pointed at a loopback fake. */
export interface SmokeClients {
  readonly connect: Pick<ConnectClient, "send">;
  readonly participant: Pick<ConnectParticipantClient, "send">;
}

/** Contact attribute the kit's flows set when they hand a contact to an agent, and its values. */
const HANDOFF_SOURCE_ATTRIBUTE = ContactAttribute.handoffSource;
/** Contact attribute the kit's chat flows show to agents as the customer's name. */
const CUSTOMER_NAME_ATTRIBUTE = ContactAttribute.customerName;
export const SMOKE_DISPLAY_NAME = "Smoke test";

export interface ChatTargets {
  readonly instanceId: string;
  readonly chatFlowId: string;
  readonly handoffQueueId: string;
}

export type AnswerVerdict = "ok" | "late" | "missing" | "apology" | "unexpected" | "chat-ended";

export interface QuestionResult {
  readonly question: string;
  readonly verdict: AnswerVerdict;
  /** Seconds from sending the question to the answer (undefined when there was none). */
  readonly seconds?: number;
  readonly answer?: string;
  /** Seconds until the first interim ("please wait") message, when one came. */
  readonly interimSeconds?: number;
  readonly detail: string;
}

export interface HandoffResult {
  readonly phrase: string;
  readonly taken: boolean;
  readonly seconds?: number;
  readonly handoffSource?: string;
  readonly queueId?: string;
  readonly detail: string;
}

export interface ChatSmokeReport {
  readonly contactId: string;
  readonly questions: readonly QuestionResult[];
  readonly handoff?: HandoffResult;
  readonly passed: boolean;
}

/** A failure of an API call, with the call named. */
export class SmokeApiError extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function call<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
    throw new SmokeApiError(`${name} failed: ${e.name ?? "Error"}: ${e.message ?? String(error)}${status}`);
  }
}

const isBotMessage = (item: Item) => item.Type === "MESSAGE" && (item.ParticipantRole === "SYSTEM" || item.ParticipantRole === "CUSTOM_BOT");
const isChatEnded = (item: Item) => item.Type === "EVENT" && item.ContentType === "application/vnd.amazonaws.connect.event.chat.ended";
const time = (iso?: string) => (iso ? Date.parse(iso) : Number.NaN);

/** One chat: the participant connection, its transcript, and which items were seen already. */
class ChatSession {
  private readonly seen = new Set<string>();

  constructor(
    private readonly clients: SmokeClients,
    private readonly connectionToken: string,
  ) {}

  /** The whole transcript, oldest first, following every page. */
  async transcript(): Promise<Item[]> {
    const items: Item[] = [];
    let NextToken: string | undefined;
    do {
      const page = await call("GetTranscript", () =>
        this.clients.participant.send(
          new GetTranscriptCommand({ ConnectionToken: this.connectionToken, SortOrder: "ASCENDING", MaxResults: 100, NextToken }),
        ),
      );
      items.push(...(page.Transcript ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return items;
  }

  /** Items not returned by an earlier call of `fresh` or `markSeen`. */
  async fresh(): Promise<Item[]> {
    const items = (await this.transcript()).filter((item) => !item.Id || !this.seen.has(item.Id));
    for (const item of items) if (item.Id) this.seen.add(item.Id);
    return items;
  }

  async markSeen(): Promise<void> {
    await this.fresh();
  }

  /** Sends a message; `sentAt` is the server's time of it (the local time when it gives none), `localSentAt` the local time. */
  async send(text: string): Promise<{ sentAt: number; localSentAt: number }> {
    const local = Date.now();
    const response = await call("SendMessage", () =>
      this.clients.participant.send(new SendMessageCommand({ ConnectionToken: this.connectionToken, ContentType: "text/plain", Content: text })),
    );
    if (response.Id) this.seen.add(response.Id);
    const server = time(response.AbsoluteTime);
    return { sentAt: Number.isNaN(server) ? local : server, localSentAt: local };
  }
}

/** Seconds from `sentAt` to the item's server time, or to now when the item carries none. */
function secondsSince(sentAt: number, item: Item): number {
  const at = time(item.AbsoluteTime);
  return ((Number.isNaN(at) ? Date.now() : at) - sentAt) / 1000;
}

async function waitForGreeting(session: ChatSession, plan: SmokePlan): Promise<void> {
  const deadline = Date.now() + plan.greetingWaitSeconds * 1000;
  for (;;) {
    const items = await session.fresh();
    if (items.some(isBotMessage) || Date.now() >= deadline) return;
    await sleep(plan.pollIntervalMs);
  }
}

async function ask(session: ChatSession, plan: SmokePlan, question: SmokePlan["questions"][number]): Promise<QuestionResult> {
  const { sentAt } = await session.send(question.text);
  const deadline = Date.now() + (plan.limitSeconds + plan.graceSeconds) * 1000;
  let interimSeconds: number | undefined;
  const result = (verdict: AnswerVerdict, detail: string, extra: Partial<QuestionResult> = {}): QuestionResult => ({
    question: question.text,
    verdict,
    detail,
    ...(interimSeconds !== undefined ? { interimSeconds } : {}),
    ...extra,
  });
  for (;;) {
    for (const item of await session.fresh()) {
      if (isChatEnded(item)) return result("chat-ended", "the chat ended before an answer came");
      if (!isBotMessage(item)) continue;
      const text = (item.Content ?? "").trim();
      const seconds = Math.round(secondsSince(sentAt, item) * 10) / 10;
      if (plan.interimTexts.includes(text)) {
        interimSeconds ??= seconds;
        continue;
      }
      if (plan.apologyTexts.includes(text)) return result("apology", "the bot apologized instead of answering", { seconds, answer: text });
      if (seconds > plan.limitSeconds) {
        return result("late", `answered after ${seconds} s, past the limit of ${plan.limitSeconds} s (${plan.limitName})`, { seconds, answer: text });
      }
      if (question.expect && !pattern(question.expect).test(text)) {
        return result("unexpected", `the answer does not match /${question.expect}/`, { seconds, answer: text });
      }
      if (question.mustNotMatch && pattern(question.mustNotMatch).test(text)) {
        return result("unexpected", `the answer matches /${question.mustNotMatch}/, which it must not`, { seconds, answer: text });
      }
      return result("ok", `within ${plan.limitSeconds} s`, { seconds, answer: text });
    }
    if (Date.now() >= deadline) {
      const waited = plan.limitSeconds + plan.graceSeconds;
      return result("missing", `no answer within ${waited} s${interimSeconds !== undefined ? " (only the interim message)" : ""}`);
    }
    await sleep(plan.pollIntervalMs);
  }
}

async function checkHandoff(clients: SmokeClients, session: ChatSession, plan: SmokePlan, targets: ChatTargets, contactId: string): Promise<HandoffResult> {
  const phrase = plan.handoffPhrase;
  const { localSentAt } = await session.send(phrase);
  const deadline = Date.now() + (plan.limitSeconds + plan.graceSeconds) * 1000;
  let handoffSource: string | undefined;
  let queueId: string | undefined;
  let seconds: number | undefined;
  let extraReads = 1;
  for (;;) {
    const attributes = await call("GetContactAttributes", () =>
      clients.connect.send(new GetContactAttributesCommand({ InstanceId: targets.instanceId, InitialContactId: contactId })),
    );
    const contact = await call("DescribeContact", () => clients.connect.send(new DescribeContactCommand({ InstanceId: targets.instanceId, ContactId: contactId })));
    handoffSource = attributes.Attributes?.[HANDOFF_SOURCE_ATTRIBUTE] || undefined;
    queueId = contact.Contact?.QueueInfo?.Id || undefined;
    const inHandoffQueue = queueId === targets.handoffQueueId;
    if ((handoffSource || inHandoffQueue) && seconds === undefined) seconds = Math.round(((Date.now() - localSentAt) / 1000) * 10) / 10;
    // Once one sign is there, read once more so the report can show the other as well.
    if ((handoffSource && inHandoffQueue) || (seconds !== undefined && extraReads-- <= 0) || Date.now() >= deadline) break;
    await sleep(plan.pollIntervalMs);
  }
  const inHandoffQueue = queueId === targets.handoffQueueId;
  const facts = [
    handoffSource ? `${HANDOFF_SOURCE_ATTRIBUTE}=${handoffSource}` : `no ${HANDOFF_SOURCE_ATTRIBUTE} attribute`,
    inHandoffQueue ? "in the handoff queue" : queueId ? `in queue ${queueId}, not the handoff queue ${targets.handoffQueueId}` : "in no queue",
  ].join(", ");
  if (handoffSource === HandoffSource.error) {
    return { phrase, taken: false, seconds, handoffSource, queueId, detail: `the flow handed the contact over because of an error, not the request (${facts})` };
  }
  const taken = Boolean(handoffSource) || inHandoffQueue;
  return { phrase, taken, seconds, handoffSource, queueId, detail: taken ? facts : `not handed to an agent within ${plan.limitSeconds + plan.graceSeconds} s (${facts})` };
}

/**
 * The full chat smoke test: start a chat on the chat flow, ask every question and judge its answer,
 * ask for an agent and check that the handoff path was taken, then disconnect.
 */
export async function runChatSmoke(clients: SmokeClients, plan: SmokePlan, targets: ChatTargets): Promise<ChatSmokeReport> {
  const started = await call("StartChatContact", () =>
    clients.connect.send(
      new StartChatContactCommand({
        InstanceId: targets.instanceId,
        ContactFlowId: targets.chatFlowId,
        ParticipantDetails: { DisplayName: SMOKE_DISPLAY_NAME },
        Attributes: { [CUSTOMER_NAME_ATTRIBUTE]: SMOKE_DISPLAY_NAME },
        SupportedMessagingContentTypes: ["text/plain"],
      }),
    ),
  );
  if (!started.ContactId || !started.ParticipantToken) throw new SmokeApiError("StartChatContact returned no contact id or participant token");
  const contactId = started.ContactId;
  const participantToken = started.ParticipantToken;
  const connection = await call("CreateParticipantConnection", () =>
    clients.participant.send(new CreateParticipantConnectionCommand({ ParticipantToken: participantToken, Type: ["CONNECTION_CREDENTIALS"], ConnectParticipant: true })),
  );
  const connectionToken = connection.ConnectionCredentials?.ConnectionToken;
  if (!connectionToken) throw new SmokeApiError("CreateParticipantConnection returned no connection token");
  const session = new ChatSession(clients, connectionToken);
  try {
    await waitForGreeting(session, plan);
    const questions: QuestionResult[] = [];
    for (const question of plan.questions) {
      const result = await ask(session, plan, question);
      questions.push(result);
      if (result.verdict === "chat-ended") break;
    }
    const chatOpen = questions.every((q) => q.verdict !== "chat-ended");
    const handoff = chatOpen ? await checkHandoff(clients, session, plan, targets, contactId) : undefined;
    const passed = questions.every((q) => q.verdict === "ok") && Boolean(handoff?.taken);
    return { contactId, questions, handoff, passed };
  } finally {
    await call("DisconnectParticipant", () => clients.participant.send(new DisconnectParticipantCommand({ ConnectionToken: connectionToken }))).catch(
      (error: Error) => console.error(`warning: ${error.message}`),
    );
  }
}

const quote = (text: string, max = 40) => `"${text.length > max ? `${text.slice(0, max - 1)}…` : text}"`;

/** The report as a few lines of text. */
export function renderChatReport(report: ChatSmokeReport, plan: SmokePlan): string {
  const lines = [
    `smoke test: contact-center-${plan.environment}, chat in ${plan.locale} (${plan.engine}), contact ${report.contactId}`,
    `answer limit: ${plan.limitSeconds} s (${plan.limitName})`,
  ];
  for (const q of report.questions) {
    const time = q.seconds !== undefined ? `${q.seconds.toFixed(1)} s` : "-";
    const interim = q.interimSeconds !== undefined ? `; interim message after ${q.interimSeconds.toFixed(1)} s` : "";
    lines.push(`  ${q.verdict === "ok" ? "PASS" : "FAIL"}  ${quote(q.question)}  ${time}  ${q.verdict}: ${q.detail}${interim}`);
    if (q.answer && q.verdict !== "ok") lines.push(`        answer: ${quote(q.answer, 120)}`);
  }
  if (report.handoff) {
    const h = report.handoff;
    lines.push(`  ${h.taken ? "PASS" : "FAIL"}  handoff ${quote(h.phrase)}  ${h.seconds !== undefined ? `${h.seconds.toFixed(1)} s` : "-"}  ${h.detail}`);
  } else {
    lines.push("  FAIL  handoff not checked: the chat ended");
  }
  lines.push(`result: ${report.passed ? "PASS" : "FAIL"}`);
  return lines.join("\n");
}
