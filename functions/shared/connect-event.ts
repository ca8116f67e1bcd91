import { AnswerPoller } from "./flow-contract";
import { isContactId, isTurnId } from "./turn-store";

/**
 * Amazon Connect "Invoke AWS Lambda function" events (the answer-poller's input) and the flat result
 * Connect expects. See https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html.
 */

export interface ConnectInvokeEvent {
  readonly Name?: "ContactFlowEvent" | string;
  readonly Details?: {
    readonly ContactData?: {
      readonly ContactId?: string;
      readonly InitialContactId?: string;
      readonly Channel?: "VOICE" | "CHAT" | "TASK" | string;
      readonly LanguageCode?: string;
      readonly Attributes?: Record<string, string>;
    };
    /** Parameters configured on the Invoke block: `turnId` and `pollCount` (see AnswerPoller). */
    readonly Parameters?: Record<string, string>;
  };
}

/** Connect accepts only a flat map of string values from a flow Lambda. */
export type ConnectResult = Record<string, string>;

export type PollRequest =
  | { readonly ok: true; readonly contactId: string; readonly turnId: string; readonly pollCount: number; readonly languageCode?: string }
  | { readonly ok: false; readonly problem: string; readonly contactId?: string; readonly pollCount: number; readonly languageCode?: string };

/** Largest poll count taken from a flow; anything else (missing, negative, not a number) counts as 0. */
const MAX_POLL_COUNT = 10_000;

function pollCountOf(value: unknown): number {
  if (typeof value !== "string" || !/^\d{1,5}$/.test(value)) return 0;
  return Math.min(MAX_POLL_COUNT, Number(value));
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Reads the poller's request. The contact id comes only from ContactData (set by Connect, not by the
 * flow author or the customer), so a turn id can only ever select a turn of the calling contact.
 */
export function readPollRequest(event: unknown): PollRequest {
  const details = record(record(event)?.Details);
  const contactData = record(details?.ContactData);
  const parameters = record(details?.Parameters);
  const languageCode = typeof contactData?.LanguageCode === "string" ? contactData.LanguageCode : undefined;
  const pollCount = pollCountOf(parameters?.[AnswerPoller.parameters.pollCount]);
  const contactId = contactData?.ContactId;
  if (!isContactId(contactId)) return { ok: false, problem: "missing or malformed Details.ContactData.ContactId", pollCount, languageCode };
  const turnId = parameters?.[AnswerPoller.parameters.turnId];
  if (turnId === undefined || turnId === "") return { ok: false, problem: "missing Details.Parameters.turnId", contactId, pollCount, languageCode };
  if (!isTurnId(turnId)) return { ok: false, problem: "malformed Details.Parameters.turnId", contactId, pollCount, languageCode };
  return { ok: true, contactId, turnId, pollCount, languageCode };
}
