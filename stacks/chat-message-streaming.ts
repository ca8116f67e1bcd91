import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { IConnectInstance } from "./connect-instance";
import { KitContext } from "./context";
import { LambdaCustomResource } from "./lambda/custom-resource";
import type { ILexBotAlias } from "./lex/self-service-bot";

export interface ChatMessageStreamingProps {
  readonly instance: IConnectInstance;
  /** The bot that answers chat: Connect must be allowed to call its alias with RecognizeMessageAsync. */
  readonly chatBot: ILexBotAlias;
  /** Steps to finish first (the Lex bot association, which writes the alias policy Connect needs). */
  readonly after?: readonly ITerraformDependable[];
}

/**
 * Turns on Amazon Connect chat message streaming (instance attribute MESSAGE_STREAMING, which raises the
 * chat Lex limit from 10 s to 60 s) and adds `lex:RecognizeMessageAsync` for Connect to the chat bot's
 * alias policy. Neither has a resource type, so a custom resource does both. On destroy the statement
 * is removed and the attribute left as it is (new instances have it on by default).
 */
export class ChatMessageStreaming extends LambdaCustomResource {
  constructor(scope: Construct, id: string, props: ChatMessageStreamingProps) {
    const context = KitContext.of(scope);
    super(scope, id, {
      source: "chat-message-streaming",
      description: "Turns on chat message streaming and allows Connect to stream to the chat bot (Terraform custom resource)",
      input: {
        instanceId: props.instance.instanceId,
        instanceArn: props.instance.instanceArn,
        botAliasArns: [props.chatBot.aliasArn],
        accountId: context.accountId,
      },
      statements: [
        { sid: "EnableMessageStreaming", actions: ["connect:UpdateInstanceAttribute"], resources: [props.instance.instanceArn] },
        {
          // The statement calls need the policy-level actions as well (Lex API reference).
          sid: "AllowConnectStreamingOnAlias",
          actions: [
            "lex:DescribeResourcePolicy",
            "lex:CreateResourcePolicyStatement",
            "lex:DeleteResourcePolicyStatement",
            "lex:CreateResourcePolicy",
            "lex:UpdateResourcePolicy",
            "lex:DeleteResourcePolicy",
          ],
          resources: [props.chatBot.aliasArn],
        },
      ],
      dependsOn: props.after,
    });
  }
}
