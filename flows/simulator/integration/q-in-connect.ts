/**
 * Amazon Q in Connect, offline: the sessions the flows create (CreateWisdomSession), the Q in Connect API
 * the real qconnect-session function calls (UpdateSession, on a loopback REST-JSON server; the AI agent it
 * selects is remembered per session), and a scripted self-service assistant answering the bot's
 * AMAZON.QInConnectIntent turn by turn.
 *
 * Per turn the script answers (tool QUESTION, or CONVERSATION), hands off (HANDOFF with its message and
 * the four summary fields), completes (COMPLETE) or fails, after a latency; without one, the latency is
 * the catalogue's expected time of the AI agent in effect for the session (the one qconnect-session
 * selected, else the assistant's default agent). Like the real assistant it sets the `Tool` session
 * attribute with the tool's parameters, and the `x-amz-lex:q-in-connect:*` attributes.
 */
import * as crypto from "node:crypto";
import { HANDOFF_FIELDS, type HandoffField, SessionAttribute, Tool } from "../../../functions/shared/flow-contract";
import { type FakeAwsJsonServer, type RecordedRequest, type Reply, awsError, ok } from "./loopback";

/** Lex session attributes Q in Connect sets (names as in Lex conversation logs). */
export const Q_IN_CONNECT_ATTRIBUTE = {
  sessionArn: "x-amz-lex:q-in-connect:session-arn",
  conversationStatus: "x-amz-lex:q-in-connect:conversation-status",
  conversationStatusReason: "x-amz-lex:q-in-connect:conversation-status-reason",
  /** The request attribute holding the answer, which the intent's success response refers to. */
  response: "x-amz-lex:q-in-connect-response",
} as const;

export interface QInConnectAgent {
  /** `<uuid>:<version>`. */
  readonly versionId: string;
  /** The channel whose agent this is (from qconnect-session's AGENT_CHAT / AGENT_VOICE), if known. */
  readonly channel?: "chat" | "voice";
  /** How it was chosen. */
  readonly source: "qconnect-session" | "assistant default";
  /** The catalogue's expected turn time of the agent's models, in ms. */
  readonly expectedMs: number;
}

export interface QInConnectTurn {
  readonly contactId: string;
  /** 1-based within the contact. */
  readonly turn: number;
  readonly utterance: string;
  readonly channel: "CHAT" | "VOICE";
  readonly sessionArn: string;
  readonly agent: QInConnectAgent;
}

export type QInConnectReply = { readonly latencyMs?: number } & (
  | { readonly answer: string; readonly tool?: "QUESTION" | "CONVERSATION" }
  | { readonly handoff: { readonly message?: string } & Partial<Record<HandoffField, string>> }
  | { readonly complete: string }
  | { readonly error: string }
);

export type QInConnectScript = (turn: QInConnectTurn) => QInConnectReply;

export interface QInConnectTurnRecord extends QInConnectTurn {
  readonly reply: QInConnectReply;
  readonly latencyMs: number;
}

/** What the assistant decided, as Lex returns it to the flow. */
export interface QInConnectOutcome {
  readonly ok: boolean;
  readonly answer?: string;
  readonly sessionAttributes: Record<string, string>;
  readonly latencyMs: number;
}

interface SessionState {
  readonly assistantId: string;
  readonly contactId: string;
  readonly arn: string;
  aiAgentId?: string;
}

export class QInConnectFake {
  readonly turns: QInConnectTurnRecord[] = [];
  /** UpdateSession calls the API received: session id and the SELF_SERVICE agent. */
  readonly updates: { readonly sessionId: string; readonly aiAgentId?: string }[] = [];
  private readonly sessions = new Map<string, SessionState>();
  private readonly byContact = new Map<string, SessionState>();
  private script: QInConnectScript = (turn) => ({ answer: `Q answer: ${turn.utterance}` });

  constructor(
    api: FakeAwsJsonServer,
    private readonly agents: {
      /** Agent version ids by channel, as qconnect-session is configured. */
      readonly byChannel: Readonly<Partial<Record<"chat" | "voice", string>>>;
      readonly defaultChannel: "chat" | "voice";
      readonly expectedMs: (channel: "chat" | "voice") => number;
    },
  ) {
    api.respond((request) => this.handle(request));
  }

  use(script: QInConnectScript | undefined): void {
    this.script = script ?? ((turn) => ({ answer: `Q answer: ${turn.utterance}` }));
  }

  /** CreateWisdomSession: a new session of the assistant for the contact. */
  createSession(assistantArn: string, contactId: string): { sessionArn: string } | { error: string } {
    const match = /^(arn:aws[a-z-]*:wisdom:[a-z0-9-]+:\d{12}):assistant\/([0-9a-f-]{36})$/.exec(assistantArn);
    if (!match) return { error: `not an assistant ARN: ${assistantArn}` };
    const sessionId = crypto.randomUUID();
    const arn = `${match[1]}:session/${match[2]}/${sessionId}`;
    const state: SessionState = { assistantId: match[2], contactId, arn };
    this.sessions.set(sessionId, state);
    this.byContact.set(contactId, state);
    return { sessionArn: arn };
  }

  /** The agent answering a contact's session. */
  agentFor(contactId: string): QInConnectAgent {
    const selected = this.byContact.get(contactId)?.aiAgentId;
    const channelOf = (id: string) => (Object.entries(this.agents.byChannel).find(([, value]) => value === id)?.[0] as "chat" | "voice" | undefined);
    if (selected) {
      const channel = channelOf(selected);
      return { versionId: selected, ...(channel ? { channel } : {}), source: "qconnect-session", expectedMs: this.agents.expectedMs(channel ?? this.agents.defaultChannel) };
    }
    const channel = this.agents.defaultChannel;
    return { versionId: this.agents.byChannel[channel] ?? "default", channel, source: "assistant default", expectedMs: this.agents.expectedMs(channel) };
  }

  /** One self-service turn: the script's reply, the session attributes the assistant sets, its latency. */
  answer(input: { contactId: string; utterance: string; channel: "CHAT" | "VOICE"; sessionAttributes: Readonly<Record<string, string>> }): QInConnectOutcome {
    const session = this.byContact.get(input.contactId);
    const base = { ...input.sessionAttributes };
    if (!session) return { ok: false, sessionAttributes: base, latencyMs: 0 };
    const agent = this.agentFor(input.contactId);
    const turn: QInConnectTurn = {
      contactId: input.contactId,
      turn: this.turns.filter((t) => t.contactId === input.contactId).length + 1,
      utterance: input.utterance,
      channel: input.channel,
      sessionArn: session.arn,
      agent,
    };
    const reply = this.script(turn);
    const latencyMs = reply.latencyMs ?? agent.expectedMs;
    this.turns.push({ ...turn, reply, latencyMs });
    const attributes: Record<string, string> = {
      ...base,
      [Q_IN_CONNECT_ATTRIBUTE.sessionArn]: session.arn,
      [Q_IN_CONNECT_ATTRIBUTE.conversationStatus]: "READY",
      [Q_IN_CONNECT_ATTRIBUTE.conversationStatusReason]: "SUCCESS",
    };
    for (const key of [SessionAttribute.tool, "query", "message", ...HANDOFF_FIELDS]) delete attributes[key];
    if ("error" in reply) {
      return { ok: false, sessionAttributes: { ...attributes, [Q_IN_CONNECT_ATTRIBUTE.conversationStatusReason]: "FAILED" }, latencyMs };
    }
    if ("handoff" in reply) {
      const message = reply.handoff.message ?? "担当者におつなぎします。";
      const fields = Object.fromEntries(HANDOFF_FIELDS.map((field) => [field, reply.handoff[field] ?? `${field} (${input.utterance})`]));
      return { ok: true, answer: message, sessionAttributes: { ...attributes, [SessionAttribute.tool]: Tool.handoff, message, ...fields }, latencyMs };
    }
    if ("complete" in reply) {
      return { ok: true, answer: reply.complete, sessionAttributes: { ...attributes, [SessionAttribute.tool]: Tool.complete, message: reply.complete }, latencyMs };
    }
    const tool = reply.tool ?? "QUESTION";
    return { ok: true, answer: reply.answer, sessionAttributes: { ...attributes, [SessionAttribute.tool]: tool, ...(tool === "QUESTION" ? { query: input.utterance } : { message: reply.answer }) }, latencyMs };
  }

  private handle(request: RecordedRequest): Reply {
    // UpdateSession: POST /assistants/{assistantId}/sessions/{sessionId}
    const [assistants, assistantId, sessions, sessionId] = request.segments;
    if (request.method !== "POST" || assistants !== "assistants" || sessions !== "sessions" || request.segments.length !== 4) {
      return awsError(404, "ResourceNotFoundException", `no such operation in the simulator: ${request.method} ${request.rawPath}`);
    }
    const session = this.sessions.get(sessionId);
    if (!session || session.assistantId !== assistantId) return awsError(404, "ResourceNotFoundException", `session ${sessionId} not found`);
    const body = (request.body ?? {}) as { aiAgentConfiguration?: { SELF_SERVICE?: { aiAgentId?: string } } };
    const aiAgentId = body.aiAgentConfiguration?.SELF_SERVICE?.aiAgentId;
    this.updates.push({ sessionId, ...(aiAgentId ? { aiAgentId } : {}) });
    if (aiAgentId) session.aiAgentId = aiAgentId;
    return ok({
      session: {
        sessionArn: session.arn,
        sessionId,
        name: session.contactId,
        ...(aiAgentId ? { aiAgentConfiguration: { SELF_SERVICE: { aiAgentId } } } : {}),
      },
    });
  }
}
