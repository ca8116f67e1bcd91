/**
 * The action types the kit writes, as a discriminated union on `Type` with the wire form of their
 * `Parameters`. Wire values are strings wherever console exports write strings ("8", "True").
 */
import type { FlowAction, FlowTransitions, JsonObject } from "./wire";

/** Exactly one message source. `PromptId` and `SSML` play on voice only. */
export type MessageSource = { readonly Text: string } | { readonly SSML: string } | { readonly PromptId: string };

export type MessageParticipantAction = FlowAction<"MessageParticipant", MessageSource> & KnownShape<MessageSource>;

export type GetParticipantInputParameters = MessageSource & {
  readonly InputTimeLimitSeconds: string;
  readonly StoreInput: "True" | "False";
  readonly InputValidation?: { readonly CustomValidation: { readonly MaximumLength: string } };
  readonly DTMFConfiguration?: { readonly DisableCancelKey: "True" | "False"; readonly InputTerminationSequence?: string };
};
export type GetParticipantInputAction = FlowAction<"GetParticipantInput", GetParticipantInputParameters> &
  KnownShape<GetParticipantInputParameters>;

export type ConnectParticipantWithLexBotParameters = MessageSource & {
  readonly LexV2Bot: { readonly AliasArn: string };
  readonly LexSessionAttributes?: { readonly [key: string]: string };
  readonly LexTimeoutSeconds?: { readonly Text: string };
};
export type ConnectParticipantWithLexBotAction = FlowAction<"ConnectParticipantWithLexBot", ConnectParticipantWithLexBotParameters> &
  KnownShape<ConnectParticipantWithLexBotParameters>;

export type LambdaInvocationType = "SYNCHRONOUS" | "ASYNCHRONOUS";
export type LambdaResponseType = "STRING_MAP" | "JSON";
export type InvokeLambdaFunctionParameters = {
  readonly LambdaFunctionARN: string;
  readonly InvocationTimeLimitSeconds: string;
  readonly InvocationType: LambdaInvocationType;
  readonly LambdaInvocationAttributes?: { readonly [key: string]: string };
  readonly ResponseValidation: { readonly ResponseType: LambdaResponseType };
};
export type InvokeLambdaFunctionAction = FlowAction<"InvokeLambdaFunction", InvokeLambdaFunctionParameters> &
  KnownShape<InvokeLambdaFunctionParameters>;

export type CompareParameters = { readonly ComparisonValue: string };
export type CompareAction = FlowAction<"Compare", CompareParameters> & KnownShape<CompareParameters>;

export type LoopParameters = { readonly LoopCount: string };
export type LoopAction = FlowAction<"Loop", LoopParameters> & KnownShape<LoopParameters>;

/** Events that end a Wait early. */
export type WaitEvent = "CustomerReturned" | "BotParticipantDisconnected";
export type WaitParameters = { readonly TimeLimitSeconds: string; readonly Events?: readonly WaitEvent[] };
export type WaitAction = FlowAction<"Wait", WaitParameters> & KnownShape<WaitParameters>;

export type TargetContact = "Current" | "Related";
export type UpdateContactAttributesParameters = {
  readonly Attributes: { readonly [key: string]: string };
  readonly TargetContact?: TargetContact;
};
export type UpdateContactAttributesAction = FlowAction<"UpdateContactAttributes", UpdateContactAttributesParameters> &
  KnownShape<UpdateContactAttributesParameters>;

/** Event hooks a flow can set (each names the flow that runs on that event). */
export const EVENT_HOOK_NAMES = [
  "AgentHold",
  "AgentWhisper",
  "CustomerHold",
  "CustomerQueue",
  "CustomerRemaining",
  "CustomerWhisper",
  "DefaultAgentUI",
  "DisconnectAgentUI",
  "PauseContact",
  "ResumeContact",
] as const;
export type EventHookName = (typeof EVENT_HOOK_NAMES)[number];
export type UpdateContactEventHooksParameters = { readonly EventHooks: { readonly [hook: string]: string } };
export type UpdateContactEventHooksAction = FlowAction<"UpdateContactEventHooks", UpdateContactEventHooksParameters> &
  KnownShape<UpdateContactEventHooksParameters>;

export type ShowViewParameters = {
  readonly ViewResource: { readonly Id: string };
  readonly InvocationTimeLimitSeconds: string;
  readonly ViewData: JsonObject;
  readonly SensitiveDataConfiguration?: { readonly HideResponseOn: readonly string[] };
};
export type ShowViewAction = FlowAction<"ShowView", ShowViewParameters> & KnownShape<ShowViewParameters>;

export type CreateWisdomSessionParameters = { readonly WisdomAssistantArn: string };
export type CreateWisdomSessionAction = FlowAction<"CreateWisdomSession", CreateWisdomSessionParameters> &
  KnownShape<CreateWisdomSessionParameters>;

export type UpdateContactDataParameters = {
  readonly WisdomSessionArn?: string;
  readonly LanguageCode?: string;
  readonly CustomerId?: string;
  readonly TargetContact?: TargetContact;
};
export type UpdateContactDataAction = FlowAction<"UpdateContactData", UpdateContactDataParameters> & KnownShape<UpdateContactDataParameters>;

export type UpdateContactTargetQueueParameters = { readonly QueueId: string } | { readonly AgentId: string };
export type UpdateContactTargetQueueAction = FlowAction<"UpdateContactTargetQueue", UpdateContactTargetQueueParameters> &
  KnownShape<UpdateContactTargetQueueParameters>;

/** No parameters: the queue comes from UpdateContactTargetQueue. */
export type EmptyParameters = { readonly [key: string]: never };
export type TransferContactToQueueAction = FlowAction<"TransferContactToQueue", EmptyParameters> & KnownShape<EmptyParameters>;
export type DisconnectParticipantAction = FlowAction<"DisconnectParticipant", EmptyParameters> & KnownShape<EmptyParameters>;
export type EndFlowExecutionAction = FlowAction<"EndFlowExecution", EmptyParameters> & KnownShape<EmptyParameters>;

export type UpdateFlowLoggingBehaviorParameters = { readonly FlowLoggingBehavior: "Enabled" | "Disabled" };
export type UpdateFlowLoggingBehaviorAction = FlowAction<"UpdateFlowLoggingBehavior", UpdateFlowLoggingBehaviorParameters> &
  KnownShape<UpdateFlowLoggingBehaviorParameters>;

export type RecordedParticipant = "Agent" | "Customer";
export type UpdateContactRecordingBehaviorParameters = {
  readonly RecordingBehavior: { readonly RecordedParticipants: readonly RecordedParticipant[] };
  readonly AnalyticsBehavior?: JsonObject;
};
export type UpdateContactRecordingBehaviorAction = FlowAction<"UpdateContactRecordingBehavior", UpdateContactRecordingBehaviorParameters> &
  KnownShape<UpdateContactRecordingBehaviorParameters>;

/** Polly engine names, lower case as Polly spells them. */
export type TextToSpeechEngine = "standard" | "neural" | "long-form" | "generative";
export type TextToSpeechStyle = "None" | "Conversational" | "Newscaster";
export type UpdateContactTextToSpeechVoiceParameters = {
  readonly TextToSpeechVoice: string;
  readonly TextToSpeechEngine?: TextToSpeechEngine;
  readonly TextToSpeechStyle?: TextToSpeechStyle;
};
export type UpdateContactTextToSpeechVoiceAction = FlowAction<"UpdateContactTextToSpeechVoice", UpdateContactTextToSpeechVoiceParameters> &
  KnownShape<UpdateContactTextToSpeechVoiceParameters>;

/** Builder-written actions always carry `Parameters` and `Transitions`. */
interface KnownShape<TParameters extends JsonObject> {
  readonly Parameters: TParameters;
  readonly Transitions: FlowTransitions;
}

/** Every action type the builder writes. */
export type KnownFlowAction =
  | MessageParticipantAction
  | GetParticipantInputAction
  | ConnectParticipantWithLexBotAction
  | InvokeLambdaFunctionAction
  | CompareAction
  | LoopAction
  | WaitAction
  | UpdateContactAttributesAction
  | UpdateContactEventHooksAction
  | ShowViewAction
  | CreateWisdomSessionAction
  | UpdateContactDataAction
  | UpdateContactTargetQueueAction
  | TransferContactToQueueAction
  | DisconnectParticipantAction
  | EndFlowExecutionAction
  | UpdateFlowLoggingBehaviorAction
  | UpdateContactRecordingBehaviorAction
  | UpdateContactTextToSpeechVoiceAction;

export type KnownFlowActionType = KnownFlowAction["Type"];
