/**
 * Test inputs for the Q in Connect handlers: a Connect flow event shaped like the ones the Invoke AWS
 * Lambda function block sends, and the aws_lambda_invocation (lifecycle_scope = "CRUD") payloads.
 */

export const REGION = "ap-northeast-1";
export const ACCOUNT = "111122223333";
export const ASSISTANT_ID = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
export const OTHER_ASSISTANT_ID = "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f";
export const SESSION_ID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
export const AGENT_CHAT = "11111111-2222-4333-8444-555555555555:3";
export const AGENT_VOICE = "66666666-7777-4888-9999-aaaaaaaaaaaa:7";
export const INSTANCE_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
export const INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;

export function sessionArn(assistantId = ASSISTANT_ID, sessionId = SESSION_ID, region = REGION): string {
  return `arn:aws:wisdom:${region}:${ACCOUNT}:session/${assistantId}/${sessionId}`;
}

export function aliasArn(botId: string, aliasId: string): string {
  return `arn:aws:lex:${REGION}:${ACCOUNT}:bot-alias/${botId}/${aliasId}`;
}

export interface FlowEventOptions {
  channel?: string;
  parameters?: Record<string, unknown>;
  contactId?: string;
}

/** A Connect flow event for a contact on `channel`, with the given block parameters. */
export function flowEvent(options: FlowEventOptions = {}): Record<string, unknown> {
  const contactId = options.contactId ?? "5d1b9e4a-2c3f-4e5d-8a7b-6c5d4e3f2a1b";
  return {
    Name: "ContactFlowEvent",
    Details: {
      ContactData: {
        Attributes: {},
        Channel: options.channel ?? "CHAT",
        ContactId: contactId,
        InitialContactId: contactId,
        InitiationMethod: "API",
        InstanceARN: INSTANCE_ARN,
        PreviousContactId: contactId,
        Queue: null,
        SystemEndpoint: null,
        CustomerEndpoint: null,
      },
      Parameters: options.parameters ?? { sessionArn: sessionArn() },
    },
  };
}

/** The `tf` key that aws_lambda_invocation adds in CRUD scope. */
export function tf(action: "create" | "update" | "delete", prevInput: Record<string, unknown> | null = null) {
  return { action, prev_input: prevInput };
}
