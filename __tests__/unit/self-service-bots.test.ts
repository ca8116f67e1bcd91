import { ConfigError, parseEnvironment } from "../../config/load";
import type { EnvironmentInput } from "../../config/schema/environment";
import { resolveInStack } from "../../stacks/resolve";
import { attributeOf, defaultEnvironment, desiredStateAt, referenceTo, resourceAt, synthEnvironment, type TerraformJson } from "../support/synth";

const dev = synthEnvironment(defaultEnvironment("dev"));
const stg = synthEnvironment(defaultEnvironment("stg"));

const intent = (bot: TerraformJson, locale: string, name: string) =>
  bot.BotLocales.find((l: TerraformJson) => l.LocaleId === locale).Intents.find((i: TerraformJson) => i.Name === name);

function envWith(changes: Partial<EnvironmentInput>, base = "dev") {
  return parseEnvironment({ ...defaultEnvironment(base), ...changes }, "test");
}

describe("Lex V2 bots: one per engine in use", () => {
  test("dev has a bedrock-bridge bot (chat) and a q-in-connect bot (voice), each with every locale, threshold, TTL and a neural voice", () => {
    for (const engine of ["bedrock-bridge", "q-in-connect"]) {
      const bot = desiredStateAt(dev.stack, `${engine}-bot/bot`);
      expect(bot).toMatchObject({
        Name: `cc-dev-${engine}`,
        RoleArn: referenceTo(dev.json, "aws_iam_role", `${engine}-bot/role/role`, "arn"),
        DataPrivacy: { ChildDirected: false },
        IdleSessionTTLInSeconds: 300,
        AutoBuildBotLocales: true,
      });
      expect(bot.BotLocales.map((l: TerraformJson) => [l.LocaleId, l.NluConfidenceThreshold, l.VoiceSettings])).toEqual([
        ["ja_JP", 0.4, { VoiceId: "Kazuha", Engine: "neural" }],
        ["en_US", 0.4, { VoiceId: "Joanna", Engine: "neural" }],
      ]);
    }
    expect(stg.stack.botsByEngine["bedrock-bridge"]).toBeDefined();
    expect(stg.stack.botsByEngine["q-in-connect"]).toBeDefined();
    // stg: Q in Connect answers chat, the bridge answers voice.
    expect(stg.stack.bots.chat).toBe(stg.stack.botsByEngine["q-in-connect"]);
    expect(stg.stack.bots.voice).toBe(stg.stack.botsByEngine["bedrock-bridge"]);
  });

  test("the bridge bot: fallback fulfilled by lex-fulfillment with progress updates and post-fulfillment responses (MessageGroups vs MessageGroupsList)", () => {
    const fallback = intent(desiredStateAt(dev.stack, "bedrock-bridge-bot/bot"), "ja_JP", "FallbackIntent");
    expect(fallback.ParentIntentSignature).toBe("AMAZON.FallbackIntent");
    expect(fallback.FulfillmentCodeHook).toEqual({
      Enabled: true,
      IsActive: true,
      FulfillmentUpdatesSpecification: {
        Active: true,
        TimeoutInSeconds: 60,
        StartResponse: { DelayInSeconds: 3, AllowInterrupt: false, MessageGroups: [{ Message: { PlainTextMessage: { Value: "お調べしますので、少々お待ちください。" } } }] },
        UpdateResponse: {
          FrequencyInSeconds: 10,
          AllowInterrupt: false,
          MessageGroups: [{ Message: { PlainTextMessage: { Value: "ただいま確認しております。もう少しだけお待ちください。" } } }],
        },
      },
      PostFulfillmentStatusSpecification: {
        FailureResponse: { AllowInterrupt: true, MessageGroupsList: [expect.objectContaining({ Message: expect.anything() })] },
        FailureNextStep: { DialogAction: { Type: "EndConversation" } },
        TimeoutResponse: { AllowInterrupt: true, MessageGroupsList: [expect.objectContaining({ Message: expect.anything() })] },
        TimeoutNextStep: { DialogAction: { Type: "EndConversation" } },
      },
    });
    const agent = intent(desiredStateAt(dev.stack, "bedrock-bridge-bot/bot"), "en_US", "TalkToAgent");
    expect(agent.SampleUtterances).toContainEqual({ Utterance: "talk to an agent" });
    expect(agent.IntentClosingSetting.NextStep).toEqual({ DialogAction: { Type: "EndConversation" } });
  });

  test("the Q in Connect bot: AMAZON.QInConnectIntent bound to the assistant ARN, answering with the q-in-connect-response attribute", () => {
    const qic = intent(desiredStateAt(dev.stack, "q-in-connect-bot/bot"), "ja_JP", "QInConnectIntent");
    expect(qic.ParentIntentSignature).toBe("AMAZON.QInConnectIntent");
    expect(qic.QInConnectIntentConfiguration).toEqual({
      QInConnectAssistantConfiguration: { AssistantArn: attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantArn") },
    });
    expect(qic.FulfillmentCodeHook.PostFulfillmentStatusSpecification.SuccessResponse).toEqual({
      AllowInterrupt: true,
      MessageGroupsList: [{ Message: { PlainTextMessage: { Value: "((x-amz-lex:q-in-connect-response))" } } }],
    });
    expect(qic.FulfillmentCodeHook.FulfillmentUpdatesSpecification.StartResponse.DelayInSeconds).toBe(2);
  });

  test("a version replaced whenever the bot changes, created before the old one is destroyed", () => {
    const version = resourceAt(dev.json, "aws_cloudcontrolapi_resource", "bedrock-bridge-bot/version/resource");
    const bot = referenceTo(dev.json, "aws_cloudcontrolapi_resource", "bedrock-bridge-bot/bot/resource", "id").slice(2, -4);
    expect(version.lifecycle).toEqual({ create_before_destroy: true, replace_triggered_by: [bot] });
    const state = desiredStateAt(dev.stack, "bedrock-bridge-bot/version");
    expect(state.BotId).toBe(attributeOf(dev.json, "bedrock-bridge-bot/bot", "Id"));
    expect(state.BotVersionLocaleSpecification).toEqual([
      { LocaleId: "ja_JP", BotVersionLocaleDetails: { SourceBotVersion: "DRAFT" } },
      { LocaleId: "en_US", BotVersionLocaleDetails: { SourceBotVersion: "DRAFT" } },
    ]);
    // The description names the definition it was built from, so a definition change shows in the plan.
    const changed = synthEnvironment(envWith({ lex: { nluConfidenceThreshold: 0.55 } }));
    expect(desiredStateAt(changed.stack, "bedrock-bridge-bot/version").Description).not.toBe(state.Description);
    expect(state.Description).toMatch(/^definition sha256:[0-9a-f]{16}$/);
  });

  test("the live alias points at the version, hooks lex-fulfillment per locale and writes text logs to a retained log group", () => {
    const alias = desiredStateAt(dev.stack, "bedrock-bridge-bot/alias");
    const fulfillmentArn = referenceTo(dev.json, "aws_lambda_function", "bedrock-bridge/fulfillment/function", "arn");
    expect(alias).toMatchObject({
      BotId: attributeOf(dev.json, "bedrock-bridge-bot/bot", "Id"),
      BotAliasName: "live",
      BotVersion: attributeOf(dev.json, "bedrock-bridge-bot/version", "BotVersion"),
      BotAliasLocaleSettings: ["ja_JP", "en_US"].map((LocaleId) => ({
        LocaleId,
        BotAliasLocaleSetting: { Enabled: true, CodeHookSpecification: { LambdaCodeHook: { LambdaArn: fulfillmentArn, CodeHookInterfaceVersion: "1.0" } } },
      })),
      ConversationLogSettings: {
        TextLogSettings: [
          {
            Enabled: true,
            Destination: { CloudWatch: { CloudWatchLogGroupArn: referenceTo(dev.json, "aws_cloudwatch_log_group", "bedrock-bridge-bot/conversation-logs", "arn"), LogPrefix: "live/" } },
          },
        ],
      },
    });
    expect(resourceAt(dev.json, "aws_cloudwatch_log_group", "bedrock-bridge-bot/conversation-logs")).toMatchObject({
      name: "/aws/lex/cc-dev-bedrock-bridge",
      retention_in_days: 14,
    });
    const qicAlias = desiredStateAt(dev.stack, "q-in-connect-bot/alias");
    expect(qicAlias.BotAliasLocaleSettings[0].BotAliasLocaleSetting).toEqual({ Enabled: true });
  });

  test("only the bridge bot's live alias may invoke lex-fulfillment", () => {
    expect(resourceAt(dev.json, "aws_lambda_permission", "alias-invokes-fulfillment")).toMatchObject({
      principal: "lexv2.amazonaws.com",
      function_name: referenceTo(dev.json, "aws_lambda_function", "bedrock-bridge/fulfillment/function", "function_name"),
      source_arn: attributeOf(dev.json, "bedrock-bridge-bot/alias", "Arn"),
      source_account: "${data.aws_caller_identity.caller-identity.account_id}",
    });
  });

  test("bot roles: Polly (the one documented * exemption), their own conversation logs, and for Q in Connect only its assistant", () => {
    const statements = (engine: string) =>
      Object.fromEntries(resolveInStack(dev.stack, dev.stack.botsByEngine[engine as "q-in-connect"]!.role.policyStatements).map((s) => [s.sid, s]));
    expect(Object.keys(statements("bedrock-bridge")).sort()).toEqual(["Speak", "WriteConversationLogs"]);
    expect(statements("q-in-connect").UseQInConnectAssistant).toEqual({
      sid: "UseQInConnectAssistant",
      actions: ["wisdom:GetAssistant", "wisdom:CreateSession", "wisdom:SendMessage", "wisdom:GetNextMessage"],
      resources: [
        attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantArn"),
        `arn:aws:wisdom:ap-northeast-1:\${data.aws_caller_identity.caller-identity.account_id}:session/${attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantId")}/*`,
      ],
    });
    const trust = Object.values(dev.json.data.aws_iam_policy_document).find((d) =>
      String((d as TerraformJson)["//"].metadata.path).endsWith("q-in-connect-bot/role/trust"),
    ) as TerraformJson;
    expect(trust.statement[0]).toMatchObject({
      principals: [{ type: "Service", identifiers: ["lexv2.amazonaws.com"] }],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.caller-identity.account_id}"] }],
    });
  });
});

describe("Connect association", () => {
  test("assistant, knowledge base and both bot aliases are associated with the instance ARN, one after another", () => {
    const instanceArn = referenceTo(dev.json, "aws_connect_instance", "connect-instance/resource", "arn");
    const expected = [
      ["wisdom-assistant", "WISDOM_ASSISTANT", attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantArn")],
      ["wisdom-knowledge-base", "WISDOM_KNOWLEDGE_BASE", attributeOf(dev.json, "q-in-connect/assistant/knowledge-base", "KnowledgeBaseArn")],
      ["bedrock-bridge-lex-bot", "LEX_BOT", attributeOf(dev.json, "bedrock-bridge-bot/alias", "Arn")],
      ["q-in-connect-lex-bot", "LEX_BOT", attributeOf(dev.json, "q-in-connect-bot/alias", "Arn")],
    ];
    let previous: string | undefined;
    for (const [id, type, arn] of expected) {
      expect(desiredStateAt(dev.stack, `integrations/${id}`)).toMatchObject({ InstanceId: instanceArn, IntegrationType: type, IntegrationArn: arn });
      const resource = resourceAt(dev.json, "aws_cloudcontrolapi_resource", `integrations/${id}/resource`);
      expect(resource.depends_on).toEqual(previous ? [previous] : undefined);
      previous = referenceTo(dev.json, "aws_cloudcontrolapi_resource", `integrations/${id}/resource`, "id").slice(2, -4);
    }
  });
});

describe("chat message streaming", () => {
  test("stg (Q in Connect chat, streaming) turns it on through a CRUD custom resource for the chat bot's alias", () => {
    const invocation = resourceAt(stg.json, "aws_lambda_invocation", "chat-message-streaming/invocation");
    expect(invocation.lifecycle_scope).toBe("CRUD");
    expect(invocation.terraform_key).toBe("tf");
    const instance = (attribute: string) => referenceTo(stg.json, "aws_connect_instance", "connect-instance/resource", attribute);
    expect(resolveInStack(stg.stack, stg.stack.messageStreaming!.input)).toEqual({
      instanceId: instance("id"),
      instanceArn: instance("arn"),
      botAliasArns: [attributeOf(stg.json, "q-in-connect-bot/alias", "Arn")],
      accountId: "${data.aws_caller_identity.caller-identity.account_id}",
    });
    expect(invocation.depends_on).toEqual(
      expect.arrayContaining([referenceTo(stg.json, "aws_cloudcontrolapi_resource", "integrations/q-in-connect-lex-bot/resource", "id").slice(2, -4)]),
    );
    const statements = Object.fromEntries(resolveInStack(stg.stack, stg.stack.messageStreaming!.function.role.policyStatements).map((s) => [s.sid, s]));
    expect(statements.EnableMessageStreaming).toEqual({
      sid: "EnableMessageStreaming",
      actions: ["connect:UpdateInstanceAttribute"],
      resources: [referenceTo(stg.json, "aws_connect_instance", "connect-instance/resource", "arn")],
    });
    expect(statements.AllowConnectStreamingOnAlias.resources).toEqual([attributeOf(stg.json, "q-in-connect-bot/alias", "Arn")]);
    expect(statements.AllowConnectStreamingOnAlias.actions).toContain("lex:CreateResourcePolicyStatement");
    expect(dev.stack.messageStreaming).toBeUndefined();
  });
});

describe("fulfillment settings validation", () => {
  function problems(fulfillment: Record<string, unknown>): string[] {
    try {
      parseEnvironment({ ...defaultEnvironment("dev"), lex: { fulfillment: { "bedrock-bridge": { ja_JP: fulfillment } } } }, "test");
    } catch (error) {
      if (error instanceof ConfigError) return [...error.problems];
      throw error;
    }
    return [];
  }

  test.each([
    [{ timeoutSeconds: 901 }, /^lex.fulfillment.bedrock-bridge.ja_JP.timeoutSeconds: Too big: expected number to be <=900 \(given: 901\)$/],
    [{ start: { delaySeconds: 0, messages: ["x"] } }, /^lex.fulfillment.bedrock-bridge.ja_JP.start.delaySeconds: Too small: expected number to be >=1 \(given: 0\)$/],
    [{ update: { frequencySeconds: 5, messages: ["1", "2", "3", "4", "5", "6"] } }, /^lex.fulfillment.bedrock-bridge.ja_JP.update.messages: Too big: expected array to have <=5 items/],
    [{ success: { messages: [] } }, /^lex.fulfillment.bedrock-bridge.ja_JP.success.messages: Too small: expected array to have >=1 items/],
    [{ failure: { messages: ["x"], nextStep: "Goodbye" } }, /^lex.fulfillment.bedrock-bridge.ja_JP.failure.nextStep: Invalid option/],
    [
      { timeoutSeconds: 20, start: { delaySeconds: 20, messages: ["x"] } },
      /^lex.fulfillment.bedrock-bridge.ja_JP.start.delaySeconds: the start response delay \(20 s\) must be shorter than timeoutSeconds \(20 s\), or it never plays/,
    ],
    [{ timeoutSeconds: 30, update: { frequencySeconds: 45, messages: ["x"] } }, /update.frequencySeconds: the update frequency \(45 s\) must be shorter than timeoutSeconds/],
  ])("rejects %j with the field path", (fulfillment, message) => {
    expect(problems(fulfillment)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test("a merged override is checked too: a short timeout under the default start delay is rejected at synth", () => {
    const env = envWith({ lex: { fulfillment: { "bedrock-bridge": { ja_JP: { timeoutSeconds: 2 } }, "q-in-connect": {} } } });
    expect(() => synthEnvironment(env)).toThrow(/lex.fulfillment.bedrock-bridge.ja_JP.start.delaySeconds: the start response delay \(3 s\) must be shorter than timeoutSeconds \(2 s\)/);
  });

  test("overrides replace the defaults per locale; updates off means no timeout and Lex's 30 s", () => {
    const env = envWith({
      lex: {
        fulfillment: {
          "bedrock-bridge": { en_US: { update: { frequencySeconds: 7, messages: ["Still on it.", "Almost there."] } } },
          "q-in-connect": { ja_JP: { updatesActive: false } },
        },
      },
    });
    const { stack } = synthEnvironment(env);
    const en = intent(desiredStateAt(stack, "bedrock-bridge-bot/bot"), "en_US", "FallbackIntent").FulfillmentCodeHook.FulfillmentUpdatesSpecification;
    expect(en.UpdateResponse).toEqual({
      FrequencyInSeconds: 7,
      AllowInterrupt: false,
      MessageGroups: [{ Message: { PlainTextMessage: { Value: "Still on it." } } }, { Message: { PlainTextMessage: { Value: "Almost there." } } }],
    });
    const ja = intent(desiredStateAt(stack, "q-in-connect-bot/bot"), "ja_JP", "QInConnectIntent").FulfillmentCodeHook.FulfillmentUpdatesSpecification;
    expect(ja).toEqual({ Active: false });
    expect(stack.latency.find((p) => p.channel === "voice")?.limitSeconds).toBe(30);
  });
});
