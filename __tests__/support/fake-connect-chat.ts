import { awsError, ok, type RecordedRequest, type Reply } from "./fake-aws-json-server";

/**
 * A loopback simulation of the Amazon Connect and Connect Participant Service calls a chat client makes
 * (REST-JSON, the paths the SDK v3 serializers use), for FakeAwsJsonServer.respond(). A scenario decides
 * what the "flow" says to each customer message and when; messages become visible in the transcript at
 * their time, so answer latency is real wall-clock time. Participant calls authenticate with the
 * X-Amz-Bearer header (participant token for the connection, connection token afterwards).
 */

export const INSTANCE_ID = "11111111-2222-4333-8444-555555555555";
export const CHAT_FLOW_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
export const VOICE_FLOW_ID = "aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff";
export const HANDOFF_QUEUE_ID = "99999999-8888-4777-8666-555555555555";

export interface ScriptedMessage {
  /** Milliseconds after the customer's message. */
  readonly afterMs: number;
  readonly content: string;
  readonly role?: "SYSTEM" | "CUSTOM_BOT";
}

export interface FlowReaction {
  readonly messages?: readonly ScriptedMessage[];
  /** Hand the contact to an agent: set handoffSource and/or put it in a queue after `afterMs`. */
  readonly handoff?: { readonly afterMs: number; readonly source?: string; readonly queueId?: string };
  /** End the chat (a chat-ended event) after `afterMs`. */
  readonly endAfterMs?: number;
}

export interface ChatScenario {
  /** The flow's greeting, `afterMs` after the participant connects. */
  readonly greeting?: ScriptedMessage;
  /** What the flow does when the customer says `text` (n = 0 for the first message). */
  readonly react: (text: string, n: number) => FlowReaction;
  /** A reply for StartChatContact instead of starting a chat (errors). */
  readonly startChat?: Reply;
  /** Transcript page size the fake uses (smaller than MaxResults, to exercise pagination). */
  readonly pageSize?: number;
  /** Flows and queues DescribeContactFlow/DescribeQueue know, by id. */
  readonly flows?: Readonly<Record<string, { name: string; state: string; status: string }>>;
  readonly queues?: Readonly<Record<string, { name: string; status: string }>>;
}

interface TranscriptItem {
  Id: string;
  Type: "MESSAGE" | "EVENT";
  ContentType: string;
  Content?: string;
  ParticipantRole: string;
  DisplayName: string;
  AbsoluteTime: string;
  visibleAt: number;
}

interface Chat {
  contactId: string;
  participantToken: string;
  connectionToken?: string;
  attributes: Record<string, string>;
  displayName: string;
  flowId: string;
  items: TranscriptItem[];
  customerMessages: number;
  queueId?: string;
  disconnected: boolean;
  timers: NodeJS.Timeout[];
}

export class FakeConnectChat {
  readonly chats: Chat[] = [];
  private counter = 0;

  constructor(private readonly scenario: ChatScenario) {}

  /** Pass to FakeAwsJsonServer.respond(). */
  readonly responder = (request: RecordedRequest): Reply => this.handle(request);

  /** Clears pending scheduled changes (attribute and queue updates). */
  stop(): void {
    for (const chat of this.chats) for (const timer of chat.timers) clearTimeout(timer);
  }

  private id(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${String(this.counter).padStart(6, "0")}`;
  }

  private add(chat: Chat, item: Omit<TranscriptItem, "Id" | "AbsoluteTime" | "visibleAt">, afterMs: number): TranscriptItem {
    const visibleAt = Date.now() + afterMs;
    const full = { ...item, Id: this.id("item"), AbsoluteTime: new Date(visibleAt).toISOString(), visibleAt };
    chat.items.push(full);
    chat.items.sort((a, b) => a.visibleAt - b.visibleAt);
    return full;
  }

  private botSays(chat: Chat, message: ScriptedMessage): void {
    this.add(chat, { Type: "MESSAGE", ContentType: "text/plain", Content: message.content, ParticipantRole: message.role ?? "SYSTEM", DisplayName: "BOT" }, message.afterMs);
  }

  private byBearer(request: RecordedRequest, kind: "participant" | "connection"): Chat | undefined {
    const token = request.headers["x-amz-bearer"];
    return this.chats.find((c) => (kind === "participant" ? c.participantToken : c.connectionToken) === token);
  }

  private handle(request: RecordedRequest): Reply {
    const { method, segments } = request;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const route = `${method} /${segments.join("/")}`;

    if (route === "PUT /contact/chat") {
      if (this.scenario.startChat) return this.scenario.startChat;
      if (body.InstanceId !== INSTANCE_ID) return awsError(404, "ResourceNotFoundException", `instance ${String(body.InstanceId)} not found`);
      if (body.ContactFlowId !== CHAT_FLOW_ID) return awsError(400, "InvalidParameterException", `contact flow ${String(body.ContactFlowId)} not found`);
      const details = body.ParticipantDetails as { DisplayName?: string } | undefined;
      if (!details?.DisplayName) return awsError(400, "InvalidRequestException", "ParticipantDetails.DisplayName is required");
      const chat: Chat = {
        contactId: this.id("contact"),
        participantToken: this.id("participant-token"),
        attributes: { ...((body.Attributes as Record<string, string>) ?? {}) },
        displayName: details.DisplayName,
        flowId: String(body.ContactFlowId),
        items: [],
        customerMessages: 0,
        disconnected: false,
        timers: [],
      };
      this.chats.push(chat);
      return ok({ ContactId: chat.contactId, ParticipantId: this.id("participant"), ParticipantToken: chat.participantToken });
    }

    if (route === "POST /participant/connection") {
      const chat = this.byBearer(request, "participant");
      if (!chat) return awsError(403, "AccessDeniedException", "invalid participant token");
      chat.connectionToken = this.id("connection-token");
      this.add(chat, { Type: "EVENT", ContentType: "application/vnd.amazonaws.connect.event.participant.joined", ParticipantRole: "CUSTOMER", DisplayName: chat.displayName }, 0);
      if (this.scenario.greeting) this.botSays(chat, this.scenario.greeting);
      return ok({ ConnectionCredentials: { ConnectionToken: chat.connectionToken, Expiry: new Date(Date.now() + 86_400_000).toISOString() } });
    }

    if (segments[0] === "participant") {
      const chat = this.byBearer(request, "connection");
      if (!chat || chat.disconnected) return awsError(403, "AccessDeniedException", "invalid or expired connection token");
      if (route === "POST /participant/message") {
        if (body.ContentType !== "text/plain" || typeof body.Content !== "string") return awsError(400, "ValidationException", "text/plain content required");
        const item = this.add(chat, { Type: "MESSAGE", ContentType: "text/plain", Content: body.Content, ParticipantRole: "CUSTOMER", DisplayName: chat.displayName }, 0);
        const reaction = this.scenario.react(body.Content, chat.customerMessages++);
        for (const message of reaction.messages ?? []) this.botSays(chat, message);
        if (reaction.handoff) {
          const { afterMs, source, queueId } = reaction.handoff;
          chat.timers.push(
            setTimeout(() => {
              if (source) chat.attributes.handoffSource = source;
              if (queueId) chat.queueId = queueId;
            }, afterMs),
          );
        }
        if (reaction.endAfterMs !== undefined) {
          this.add(chat, { Type: "EVENT", ContentType: "application/vnd.amazonaws.connect.event.chat.ended", ParticipantRole: "SYSTEM", DisplayName: "SYSTEM" }, reaction.endAfterMs);
        }
        return ok({ Id: item.Id, AbsoluteTime: item.AbsoluteTime });
      }
      if (route === "POST /participant/transcript") {
        if (body.SortOrder !== "ASCENDING") return awsError(400, "ValidationException", "this fake serves ascending transcripts only");
        const visible = chat.items.filter((i) => i.visibleAt <= Date.now());
        const start = body.NextToken ? Number(String(body.NextToken).replace("page-", "")) : 0;
        const size = Math.min(Number(body.MaxResults ?? 15), this.scenario.pageSize ?? 3);
        const page = visible.slice(start, start + size).map(({ visibleAt: _visibleAt, ...item }) => item);
        const next = start + size < visible.length ? `page-${start + size}` : undefined;
        return ok({ InitialContactId: chat.contactId, Transcript: page, ...(next ? { NextToken: next } : {}) });
      }
      if (route === "POST /participant/disconnect") {
        chat.disconnected = true;
        return ok({});
      }
    }

    const attributes = /^GET \/contact\/attributes\/([^/]+)\/([^/]+)$/.exec(route);
    if (attributes) {
      const chat = this.chats.find((c) => c.contactId === attributes[2]);
      if (attributes[1] !== INSTANCE_ID || !chat) return awsError(404, "ResourceNotFoundException", "contact not found");
      return ok({ Attributes: chat.attributes });
    }
    const contact = /^GET \/contacts\/([^/]+)\/([^/]+)$/.exec(route);
    if (contact) {
      const chat = this.chats.find((c) => c.contactId === contact[2]);
      if (contact[1] !== INSTANCE_ID || !chat) return awsError(404, "ResourceNotFoundException", "contact not found");
      return ok({
        Contact: {
          Id: chat.contactId,
          Arn: `arn:aws:connect:ap-northeast-1:123456789012:instance/${INSTANCE_ID}/contact/${chat.contactId}`,
          Channel: "CHAT",
          InitiationMethod: "API",
          ...(chat.queueId ? { QueueInfo: { Id: chat.queueId, EnqueueTimestamp: Math.floor(Date.now() / 1000) } } : {}),
        },
      });
    }
    const flow = /^GET \/contact-flows\/([^/]+)\/([^/]+)$/.exec(route);
    if (flow) {
      const known = this.scenario.flows?.[flow[2]];
      if (flow[1] !== INSTANCE_ID || !known) return awsError(404, "ResourceNotFoundException", `contact flow ${flow[2]} not found`);
      return ok({ ContactFlow: { Id: flow[2], Arn: `arn:aws:connect:ap-northeast-1:123456789012:instance/${INSTANCE_ID}/contact-flow/${flow[2]}`, Name: known.name, Type: "CONTACT_FLOW", State: known.state, Status: known.status } });
    }
    const queue = /^GET \/queues\/([^/]+)\/([^/]+)$/.exec(route);
    if (queue) {
      const known = this.scenario.queues?.[queue[2]];
      if (queue[1] !== INSTANCE_ID || !known) return awsError(404, "ResourceNotFoundException", `queue ${queue[2]} not found`);
      return ok({ Queue: { QueueId: queue[2], QueueArn: `arn:aws:connect:ap-northeast-1:123456789012:instance/${INSTANCE_ID}/queue/${queue[2]}`, Name: known.name, Status: known.status } });
    }
    return awsError(400, "UnknownOperationException", `the fake does not serve ${route}`);
  }
}
