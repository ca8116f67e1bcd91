/**
 * Desired-state shapes of the Lex V2 types the kit creates (AWS::Lex::Bot, BotVersion, BotAlias): the
 * subset of each CloudFormation schema it uses. Note the schema's naming trap: fulfillment start/update
 * responses take `MessageGroups`, post-fulfillment responses (`ResponseSpecification`) take `MessageGroupsList`.
 */
import type { CfnTag } from "./common";

export interface LexMessageGroup {
  readonly Message: { readonly PlainTextMessage: { readonly Value: string } };
}

export interface LexResponseSpecification {
  readonly MessageGroupsList: readonly LexMessageGroup[];
  readonly AllowInterrupt?: boolean;
}

export type LexDialogActionType =
  | "CloseIntent"
  | "ConfirmIntent"
  | "ElicitIntent"
  | "ElicitSlot"
  | "StartIntent"
  | "FulfillIntent"
  | "EndConversation"
  | "EvaluateConditional"
  | "InvokeDialogCodeHook";

export interface LexDialogState {
  readonly DialogAction: { readonly Type: LexDialogActionType; readonly SuppressNextMessage?: boolean };
}

export interface LexFulfillmentUpdatesSpecification {
  readonly Active: boolean;
  readonly TimeoutInSeconds?: number;
  readonly StartResponse?: { readonly DelayInSeconds: number; readonly MessageGroups: readonly LexMessageGroup[]; readonly AllowInterrupt?: boolean };
  readonly UpdateResponse?: { readonly FrequencyInSeconds: number; readonly MessageGroups: readonly LexMessageGroup[]; readonly AllowInterrupt?: boolean };
}

export interface LexPostFulfillmentStatusSpecification {
  readonly SuccessResponse?: LexResponseSpecification;
  readonly FailureResponse?: LexResponseSpecification;
  readonly TimeoutResponse?: LexResponseSpecification;
  readonly SuccessNextStep?: LexDialogState;
  readonly FailureNextStep?: LexDialogState;
  readonly TimeoutNextStep?: LexDialogState;
}

export interface LexFulfillmentCodeHook {
  readonly Enabled: boolean;
  readonly IsActive?: boolean;
  readonly FulfillmentUpdatesSpecification?: LexFulfillmentUpdatesSpecification;
  readonly PostFulfillmentStatusSpecification?: LexPostFulfillmentStatusSpecification;
}

export interface LexIntent {
  readonly Name: string;
  readonly Description?: string;
  readonly ParentIntentSignature?: string;
  readonly SampleUtterances?: readonly { readonly Utterance: string }[];
  readonly FulfillmentCodeHook?: LexFulfillmentCodeHook;
  readonly DialogCodeHook?: { readonly Enabled: boolean };
  readonly IntentClosingSetting?: { readonly ClosingResponse?: LexResponseSpecification; readonly IsActive?: boolean; readonly NextStep?: LexDialogState };
  readonly QInConnectIntentConfiguration?: { readonly QInConnectAssistantConfiguration: { readonly AssistantArn: string } };
}

export interface LexBotLocale {
  readonly LocaleId: string;
  readonly Description?: string;
  readonly NluConfidenceThreshold: number;
  readonly VoiceSettings?: { readonly VoiceId: string; readonly Engine?: "standard" | "neural" | "long-form" | "generative" };
  readonly Intents: readonly LexIntent[];
}

export interface LexBotState {
  readonly Name: string;
  readonly Description?: string;
  readonly RoleArn: string;
  readonly DataPrivacy: { readonly ChildDirected: boolean };
  readonly IdleSessionTTLInSeconds: number;
  readonly AutoBuildBotLocales?: boolean;
  readonly BotLocales: readonly LexBotLocale[];
  readonly BotTags?: readonly CfnTag[];
}

export interface LexBotVersionState {
  readonly BotId: string;
  readonly Description?: string;
  readonly BotVersionLocaleSpecification: readonly {
    readonly LocaleId: string;
    readonly BotVersionLocaleDetails: { readonly SourceBotVersion: string };
  }[];
}

export interface LexBotAliasLocaleSettingsItem {
  readonly LocaleId: string;
  readonly BotAliasLocaleSetting: {
    readonly Enabled: boolean;
    readonly CodeHookSpecification?: { readonly LambdaCodeHook: { readonly LambdaArn: string; readonly CodeHookInterfaceVersion: string } };
  };
}

export interface LexBotAliasState {
  readonly BotId: string;
  readonly BotAliasName: string;
  readonly BotVersion?: string;
  readonly Description?: string;
  readonly BotAliasLocaleSettings?: readonly LexBotAliasLocaleSettingsItem[];
  readonly ConversationLogSettings?: {
    readonly TextLogSettings?: readonly {
      readonly Enabled: boolean;
      readonly Destination: { readonly CloudWatch: { readonly CloudWatchLogGroupArn: string; readonly LogPrefix: string } };
    }[];
  };
  readonly SentimentAnalysisSettings?: { readonly DetectSentiment: boolean };
  readonly BotAliasTags?: readonly CfnTag[];
}
