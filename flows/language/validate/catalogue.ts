/**
 * What the validator knows about action types: which names are real, which the service refuses,
 * which are terminal, which error branches and parameters each declares. Sources: the Flow language
 * reference, real console exports (the test corpus) and publish tests by other projects; see
 * /work/shared/reference/connect-flow-language.md §4 and §9.
 */
import type { KnownFlowActionType } from "../actions";

/** Types the builder writes. */
export const MODELLED_TYPES: readonly KnownFlowActionType[] = [
  "MessageParticipant",
  "GetParticipantInput",
  "ConnectParticipantWithLexBot",
  "InvokeLambdaFunction",
  "Compare",
  "Loop",
  "Wait",
  "UpdateContactAttributes",
  "UpdateContactEventHooks",
  "ShowView",
  "CreateWisdomSession",
  "UpdateContactData",
  "UpdateContactTargetQueue",
  "TransferContactToQueue",
  "DisconnectParticipant",
  "EndFlowExecution",
  "UpdateFlowLoggingBehavior",
  "UpdateContactRecordingBehavior",
  "UpdateContactTextToSpeechVoice",
];

/** Further real types: seen in published console exports, or listed by the Flow language reference. */
export const OTHER_REAL_TYPES: readonly string[] = [
  // seen in published flows
  "CheckHoursOfOperation",
  "CheckMetricData",
  "CheckVoiceId",
  "CreateCallbackContact",
  "CreateCase",
  "CreateCustomerProfile",
  "CreateTask",
  "EndFlowModuleExecution",
  "GetCase",
  "GetCustomerProfile",
  "InvokeFlowModule",
  "ListDataTableValues",
  "MessageParticipantIteratively",
  "StartMediaStreaming",
  "StartVoiceIdStream",
  "TagContact",
  "TransferParticipantToThirdParty",
  "TransferToFlow",
  "UpdateCase",
  "UpdateContactCallbackNumber",
  "UpdateContactMediaStreamingBehavior",
  "UpdateContactRecordingAndAnalyticsBehavior",
  "UpdateContactRoutingCriteria",
  "UpdateFlowAttributes",
  "UpsertDataTableValues",
  // listed by the reference (contact, flow control and interaction actions)
  "AssociateContactToCustomerProfile",
  "CheckOutboundCallStatus",
  "CompleteOutboundCall",
  "DequeueContactAndTransferToQueue",
  "DistributeByPercentage",
  "GetCalculatedAttributesForCustomerProfile",
  "GetCustomerProfileObject",
  "GetMetricData",
  "ResumeContact",
  "StartOutboundChatContact",
  "TransferContactToAgent",
  "UntagContact",
  "UpdateContactMediaProcessing",
  "UpdateContactRoutingBehavior",
  "UpdateCustomerProfile",
  "UpdatePreviousContactParticipantState",
];

/** Every type the validator accepts without a finding. */
export const REAL_TYPES: ReadonlySet<string> = new Set([...MODELLED_TYPES, ...OTHER_REAL_TYPES]);

/**
 * Names the service refuses (`Invalid Action type`), with what to use instead. Console block titles
 * and documentation spellings that differ from the service's are the usual source.
 * StartMediaStreaming is not listed although one third-party note reports it refused: a published
 * AWS sample flow uses it.
 */
export const REJECTED_TYPES: Readonly<Record<string, string>> = {
  TransferToAgent: "use TransferContactToAgent (transfer-to-agent flows) or UpdateContactTargetQueue + TransferContactToQueue",
  TransferToPhoneNumber: "use TransferParticipantToThirdParty",
  TransferToThirdParty: "use TransferParticipantToThirdParty",
  CheckStaffing: "use CheckMetricData",
  CheckQueueStatus: "use CheckMetricData",
  Distribute: "use DistributeByPercentage",
  ReturnFromFlowModule: "use EndFlowModuleExecution",
  InvokeAPI: "call the API from a Lambda function with InvokeLambdaFunction",
  GetParticipantWithLexV2Bot: "use ConnectParticipantWithLexBot with LexV2Bot.AliasArn",
  UpdateContactRoutingData: "use UpdateContactRoutingBehavior or UpdateContactRoutingCriteria",
  UpdateContactTextToSpeechManner: "use UpdateContactTextToSpeechVoice with TextToSpeechStyle",
  UnTagContact: "use UntagContact (the service spelling)",
  UpdateRoutingCriteria: "use UpdateContactRoutingCriteria (the service spelling)",
};

/** Types that end the flow: `Transitions` must be `{}`. */
export const TERMINAL_TYPES: ReadonlySet<string> = new Set([
  "DisconnectParticipant",
  "EndFlowExecution",
  "EndFlowModuleExecution",
  "TransferContactToAgent",
]);

/** Types whose exports may lack NextAction (a looping queue message ends only when interrupted). */
export const NEXT_ACTION_OPTIONAL: ReadonlySet<string> = new Set(["MessageParticipantIteratively"]);

/**
 * Error branches of a type. required: the service refuses the action without them. expected:
 * consoles always write them but no publish test proved them required (a missing one is a warning).
 * rejected: the service refuses them. Types with `closed` declare no other error type.
 */
export interface ErrorSpec {
  readonly required?: readonly string[];
  readonly expected?: readonly string[];
  readonly optional?: readonly string[];
  readonly rejected?: readonly string[];
  /** Any error type not listed is refused by the service (not just undeclared). */
  readonly othersRejected?: boolean;
}

const NME = "NoMatchingError";
const NMC = "NoMatchingCondition";

/** Error specs by type; GetParticipantInput depends on its mode and is handled by its own rule. */
export const ERROR_SPECS: Readonly<Record<string, ErrorSpec>> = {
  MessageParticipant: { optional: [NME] },
  ConnectParticipantWithLexBot: { required: [NMC, NME], optional: ["InputTimeLimitExceeded"], rejected: ["AgentError"] },
  InvokeLambdaFunction: { required: [NME] },
  Compare: { required: [NMC], rejected: [NME] },
  Loop: { optional: [NME] },
  Wait: { expected: [NME], optional: ["ParticipantNotFound"] },
  UpdateContactAttributes: { required: [NME] },
  UpdateFlowAttributes: { required: [NME] },
  UpdateContactEventHooks: { expected: [NME] },
  ShowView: { expected: [NMC, NME, "TimeLimitExceeded"] },
  CreateWisdomSession: { required: [NME] },
  UpdateContactData: { required: [NME] },
  UpdateContactTargetQueue: { required: [NME] },
  TransferContactToQueue: { required: ["QueueAtCapacity", NME], othersRejected: true },
  UpdateFlowLoggingBehavior: {},
  UpdateContactRecordingBehavior: {},
  UpdateContactTextToSpeechVoice: { optional: [NME] },
  UpdateContactRecordingAndAnalyticsBehavior: { required: [NME, "ChannelMismatch"], optional: ["InFlightRedactionConfigurationFailed"] },
};

/** The message sources of participant actions (at most one each). */
export const MESSAGE_KEYS = ["Text", "SSML", "PromptId", "Media"] as const;

/** Parameter names each modelled type declares; others are reported as unknown. */
export const KNOWN_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  MessageParticipant: [...MESSAGE_KEYS, "TextToSpeechType", "SkipWhenDTMFBufferEnabled"],
  GetParticipantInput: [...MESSAGE_KEYS, "TextToSpeechType", "InputTimeLimitSeconds", "StoreInput", "InputValidation", "InputEncryption", "DTMFConfiguration"],
  ConnectParticipantWithLexBot: [
    ...MESSAGE_KEYS,
    "TextToSpeechType",
    "LexV2Bot",
    "LexBot",
    "LexSessionAttributes",
    "LexTimeoutSeconds",
    "LexInitializationData",
  ],
  InvokeLambdaFunction: ["LambdaFunctionARN", "InvocationTimeLimitSeconds", "InvocationType", "LambdaInvocationAttributes", "ResponseValidation"],
  Compare: ["ComparisonValue"],
  Loop: ["LoopCount"],
  Wait: ["TimeLimitSeconds", "Events", "MinimumWaitTimeSeconds", "ContinueExecution"],
  UpdateContactAttributes: ["Attributes", "TargetContact"],
  UpdateContactEventHooks: ["EventHooks", "EventHooksConfiguration"],
  ShowView: ["ViewResource", "InvocationTimeLimitSeconds", "ViewData", "SensitiveDataConfiguration"],
  CreateWisdomSession: ["WisdomAssistantArn"],
  UpdateContactData: [
    "WisdomSessionArn",
    "LanguageCode",
    "CustomerId",
    "TargetContact",
    "IsVoiceIdStreamingEnabled",
    "IsFraudDetectionEnabled",
    "IsVoiceAuthenticationEnabled",
    "VoiceAuthenticationThreshold",
    "VoiceAuthenticationResponseTime",
  ],
  UpdateContactTargetQueue: ["QueueId", "AgentId"],
  TransferContactToQueue: [],
  DisconnectParticipant: [],
  EndFlowExecution: [],
  UpdateFlowLoggingBehavior: ["FlowLoggingBehavior"],
  UpdateContactRecordingBehavior: ["RecordingBehavior", "AnalyticsBehavior", "IVRRecordingBehavior"],
  UpdateContactTextToSpeechVoice: ["TextToSpeechVoice", "TextToSpeechEngine", "TextToSpeechStyle"],
};

/** Parameter names the service refused in publish tests, with what to use instead. */
export const REJECTED_PARAMETERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ConnectParticipantWithLexBot: {
    BotAliasArn: "use LexV2Bot: {AliasArn}",
    ParticipantRole: "leave it out",
    SessionAttributes: "use LexSessionAttributes",
  },
  InvokeLambdaFunction: { RequestAttributes: "use LambdaInvocationAttributes" },
  MessageParticipant: { TextType: "give Text or SSML instead of a type switch" },
  UpdateContactTextToSpeechVoice: {
    LanguageCode: "set the language with UpdateContactData.LanguageCode",
    VoiceId: "use TextToSpeechVoice",
    Engine: "use TextToSpeechEngine",
  },
  UpdateFlowLoggingBehavior: { LoggingBehavior: "use FlowLoggingBehavior" },
  UpdateContactRecordingBehavior: {
    Agent: "list participants in RecordingBehavior.RecordedParticipants",
    Customer: "list participants in RecordingBehavior.RecordedParticipants",
  },
  UpdateContactData: {
    References: "leave it out",
    Reference: "leave it out",
    SegmentAttribute: "leave it out",
  },
  TransferContactToQueue: {
    QueueId: "set the queue with UpdateContactTargetQueue before the transfer",
    QueueArn: "set the queue with UpdateContactTargetQueue before the transfer",
    Queue: "set the queue with UpdateContactTargetQueue before the transfer",
  },
};
