import * as crypto from "node:crypto";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { Engine } from "../../config/schema/common";
import { LIVE_ALIAS } from "../../functions/shared/flow-contract";
import { CloudControlResource } from "../cloud-control/cloud-control-resource";
import { KitContext } from "../context";
import { type PolicyStatement, ServiceRole } from "../iam/service-role";
import type { IKitFunction } from "../lambda/nodejs-function";
import type { LexBotLocale } from "../cloud-control/types";
import { resolveInStack } from "../resolve";

/** What flows and the Connect association need of a bot: its `live` alias. */
export interface ILexBotAlias {
  readonly engine: Engine;
  readonly botId: string;
  readonly aliasId: string;
  /** arn:aws:lex:<region>:<account>:bot-alias/<botId>/<aliasId> */
  readonly aliasArn: string;
}

/** What the q-in-connect bot needs of the assistant. */
export interface IQInConnectAssistant {
  readonly assistantId: string;
  readonly assistantArn: string;
}

export interface SelfServiceBotProps {
  readonly engine: Engine;
  /** The bot's locales with their intents (see `botLocales`); the first is the default. */
  readonly locales: readonly LexBotLocale[];
  /** Seconds Lex keeps a session without input. */
  readonly idleSessionTtlSeconds: number;
  /** Write text conversation logs to `/aws/lex/<bot>`. */
  readonly conversationLogs: boolean;
  /** The bridge's fulfillment function (bedrock-bridge engine). */
  readonly fulfillment?: IKitFunction;
  /** The Q in Connect assistant (q-in-connect engine). */
  readonly assistant?: IQInConnectAssistant;
}

const CODE_HOOK_INTERFACE_VERSION = "1.0";

/**
 * One Lex V2 bot per self-service engine, through Cloud Control: the bot (all configured locales, NLU
 * threshold, idle TTL, neural voices, fulfillment updates and post-fulfillment responses), a bot version
 * that is replaced whenever the bot definition changes, and the `live` alias pointing at it with the
 * code hook per locale and text conversation logs. The bot role may only speak (Polly), write its
 * conversation logs and, for q-in-connect, talk to its assistant.
 */
export class SelfServiceBot extends Construct implements ILexBotAlias {
  readonly engine: Engine;
  readonly bot: CloudControlResource<"AWS::Lex::Bot">;
  readonly version: CloudControlResource<"AWS::Lex::BotVersion">;
  readonly alias: CloudControlResource<"AWS::Lex::BotAlias">;
  readonly role: ServiceRole;
  readonly conversationLogs?: CloudwatchLogGroup;
  readonly botId: string;
  readonly aliasId: string;
  readonly aliasArn: string;

  constructor(scope: Construct, id: string, props: SelfServiceBotProps) {
    super(scope, id);
    const { engine } = props;
    const context = KitContext.of(this);
    const env = context.env;
    const localeIds = props.locales.map((locale) => locale.LocaleId);
    if (engine === "bedrock-bridge" && !props.fulfillment) throw new Error("the bedrock-bridge bot needs the bridge's fulfillment function");
    if (engine === "q-in-connect" && !props.assistant) throw new Error("the q-in-connect bot needs the Q in Connect assistant");
    this.engine = engine;
    const botName = context.name(engine);

    if (props.conversationLogs) {
      this.conversationLogs = new CloudwatchLogGroup(this, "conversation-logs", {
        name: `/aws/lex/${botName}`,
        retentionInDays: env.logRetentionDays,
        kmsKeyId: env.logsKmsKeyArn,
      });
    }
    this.role = new ServiceRole(this, "role", {
      roleName: `${botName}-bot`,
      description: `Runtime role of the ${engine} Lex bot`,
      servicePrincipal: "lexv2.amazonaws.com",
      sourceAccountCondition: true,
      statements: this.roleStatements(props),
    });

    this.bot = new CloudControlResource(this, "bot", {
      typeName: "AWS::Lex::Bot",
      desiredState: {
        Name: botName,
        Description: `${engine} self-service bot (${env.name})`,
        RoleArn: this.role.roleArn,
        DataPrivacy: { ChildDirected: false },
        IdleSessionTTLInSeconds: props.idleSessionTtlSeconds,
        AutoBuildBotLocales: true,
        BotLocales: [...props.locales],
      },
      // Lex must be able to assume the role with its permissions when it builds the locales.
      dependsOn: [this.role.policy],
    });
    this.botId = this.bot.getAttribute("Id");

    this.version = new CloudControlResource(this, "version", {
      typeName: "AWS::Lex::BotVersion",
      desiredState: {
        BotId: this.botId,
        // Shows in the plan and console which definition a version was built from.
        Description: `definition sha256:${definitionHash(resolveInStack(this, this.bot.desiredState))}`,
        BotVersionLocaleSpecification: localeIds.map((LocaleId) => ({ LocaleId, BotVersionLocaleDetails: { SourceBotVersion: "DRAFT" } })),
      },
      // A version is an immutable snapshot: take a new one whenever the bot changes, and move the alias to
      // it before the old one is deleted.
      replaceTriggeredBy: [this.bot.resource],
      createBeforeDestroy: true,
    });

    this.alias = new CloudControlResource(this, "alias", {
      typeName: "AWS::Lex::BotAlias",
      desiredState: {
        BotId: this.botId,
        BotAliasName: LIVE_ALIAS,
        BotVersion: this.version.getAttribute("BotVersion"),
        Description: `Live alias of ${botName}, used by the contact flows`,
        BotAliasLocaleSettings: localeIds.map((LocaleId) => ({
          LocaleId,
          BotAliasLocaleSetting: {
            Enabled: true,
            CodeHookSpecification: props.fulfillment
              ? { LambdaCodeHook: { LambdaArn: props.fulfillment.functionArn, CodeHookInterfaceVersion: CODE_HOOK_INTERFACE_VERSION } }
              : undefined,
          },
        })),
        ConversationLogSettings: this.conversationLogs
          ? {
              TextLogSettings: [
                { Enabled: true, Destination: { CloudWatch: { CloudWatchLogGroupArn: this.conversationLogs.arn, LogPrefix: `${LIVE_ALIAS}/` } } },
              ],
            }
          : undefined,
        SentimentAnalysisSettings: { DetectSentiment: false },
      },
    });
    this.aliasId = this.alias.getAttribute("BotAliasId");
    this.aliasArn = this.alias.getAttribute("Arn");

    if (props.fulfillment) {
      new LambdaPermission(this, "alias-invokes-fulfillment", {
        action: "lambda:InvokeFunction",
        functionName: props.fulfillment.functionName,
        principal: "lexv2.amazonaws.com",
        sourceArn: this.aliasArn,
        sourceAccount: context.accountId,
      });
    }
  }

  private roleStatements(props: SelfServiceBotProps): PolicyStatement[] {
    const context = KitContext.of(this);
    const statements: PolicyStatement[] = [{ sid: "Speak", actions: ["polly:SynthesizeSpeech"], resources: ["*"] }];
    if (this.conversationLogs) {
      statements.push({
        sid: "WriteConversationLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${this.conversationLogs.arn}:*`],
      });
    }
    if (props.assistant) {
      // The actions AMAZON.QInConnectIntent uses to run a self-service session on the assistant.
      statements.push({
        sid: "UseQInConnectAssistant",
        actions: ["wisdom:GetAssistant", "wisdom:CreateSession", "wisdom:SendMessage", "wisdom:GetNextMessage"],
        resources: [props.assistant.assistantArn, context.arn("wisdom", `session/${props.assistant.assistantId}/*`)],
      });
    }
    return statements;
  }
}

function definitionHash(state: unknown): string {
  return crypto.createHash("sha256").update(JSON.stringify(state)).digest("hex").slice(0, 16);
}
