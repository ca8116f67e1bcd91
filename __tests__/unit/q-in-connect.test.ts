import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseEnvironment } from "../../config/load";
import { resolveInStack } from "../../stacks/resolve";
import { attributeOf, defaultEnvironment, desiredStateAt, referenceTo, resourceAt, synthEnvironment } from "../support/synth";

const dev = synthEnvironment(defaultEnvironment("dev"));
const stg = synthEnvironment(defaultEnvironment("stg"));
const PROMPTS = path.join(__dirname, "..", "..", "config", "prompts");

describe("Amazon Q in Connect assistant and knowledge base", () => {
  test("assistant: AGENT type, tagged only with the stable tags (its tags are create-only)", () => {
    expect(desiredStateAt(dev.stack, "q-in-connect/assistant/assistant")).toEqual({
      Name: "cc-dev-assistant",
      Type: "AGENT",
      Description: "Self-service assistant (dev)",
      Tags: [
        { Key: "environment", Value: "dev" },
        { Key: "managed-by", Value: "cdktf" },
        { Key: "project", Value: "contact-center-kit" },
      ],
    });
  });

  test("a customer KMS key encrypts the assistant and the knowledge base", () => {
    const key = "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const env = parseEnvironment({ ...defaultEnvironment("dev"), qInConnect: { ...defaultEnvironment("dev").qInConnect, kmsKeyArn: key } }, "test");
    const { stack } = synthEnvironment(env);
    expect(desiredStateAt(stack, "q-in-connect/assistant/assistant").ServerSideEncryptionConfiguration).toEqual({ KmsKeyId: key });
    expect(desiredStateAt(stack, "q-in-connect/assistant/knowledge-base").ServerSideEncryptionConfiguration).toEqual({ KmsKeyId: key });
  });

  test("knowledge base: a managed web crawler from the configured seed URLs, associated with the assistant", () => {
    expect(desiredStateAt(dev.stack, "q-in-connect/assistant/knowledge-base")).toMatchObject({
      Name: "cc-dev-knowledge-base",
      KnowledgeBaseType: "MANAGED",
      SourceConfiguration: {
        ManagedSourceConfiguration: {
          WebCrawlerConfiguration: {
            UrlConfiguration: { SeedUrls: [{ Url: "https://docs.aws.amazon.com/connect/latest/adminguide/what-is-amazon-connect.html" }] },
            CrawlerLimits: { RateLimit: 20 },
            Scope: "HOST_ONLY",
          },
        },
      },
    });
    expect(desiredStateAt(dev.stack, "q-in-connect/assistant/knowledge-base-association")).toMatchObject({
      AssistantId: attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantId"),
      AssociationType: "KNOWLEDGE_BASE",
      Association: { KnowledgeBaseId: attributeOf(dev.json, "q-in-connect/assistant/knowledge-base", "KnowledgeBaseId") },
    });
    expect(stg.stack.qInConnect!.assistant.knowledgeBase).toBeUndefined();
  });
});

describe("AI prompts from the repo's templates", () => {
  test.each([
    ["chat", "pre-processing", "SELF_SERVICE_PRE_PROCESSING", "MESSAGES", "apac.amazon.nova-lite-v1:0", "self-service-pre-processing.yaml"],
    ["chat", "answer-generation", "SELF_SERVICE_ANSWER_GENERATION", "TEXT_COMPLETIONS", "apac.amazon.nova-lite-v1:0", "self-service-answer-generation.yaml"],
    ["voice", "pre-processing", "SELF_SERVICE_PRE_PROCESSING", "MESSAGES", "apac.anthropic.claude-sonnet-4-20250514-v1:0", "self-service-pre-processing.yaml"],
    ["voice", "answer-generation", "SELF_SERVICE_ANSWER_GENERATION", "TEXT_COMPLETIONS", "apac.anthropic.claude-3-5-sonnet-20241022-v2:0", "self-service-answer-generation.yaml"],
  ])("%s %s: type, format, the channel's model and the default locale's template text", (channel, kind, type, format, model, file) => {
    const prompt = desiredStateAt(dev.stack, `q-in-connect/${channel}-${kind}/prompt`);
    expect(prompt).toMatchObject({
      AssistantId: attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantId"),
      Name: `cc-dev-${channel}-${kind}`,
      Type: type,
      ApiFormat: format,
      ModelId: model,
      TemplateType: "TEXT",
    });
    expect(prompt.TemplateConfiguration.TextFullAIPromptEditTemplateConfiguration.Text).toBe(fs.readFileSync(path.join(PROMPTS, "ja_JP", file), "utf8"));
  });

  test("each prompt has a version that follows template changes (replaced when the prompt changes, new one first)", () => {
    const version = resourceAt(dev.json, "aws_cloudcontrolapi_resource", "q-in-connect/chat-pre-processing/version/resource");
    const prompt = referenceTo(dev.json, "aws_cloudcontrolapi_resource", "q-in-connect/chat-pre-processing/prompt/resource", "id").slice(2, -4);
    expect(version.lifecycle).toEqual({ create_before_destroy: true, replace_triggered_by: [prompt] });
    expect(desiredStateAt(dev.stack, "q-in-connect/chat-pre-processing/version")).toEqual({
      AssistantId: attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantId"),
      AIPromptId: attributeOf(dev.json, "q-in-connect/chat-pre-processing/prompt", "AIPromptId"),
    });
  });

  test("an environment's promptsDir replaces a template; files it lacks come from the kit", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-prompts-"));
    fs.mkdirSync(path.join(dir, "ja_JP"));
    const own = "system: 自社向けの前処理プロンプト\ntools: []\nmessages:\n  - role: user\n    content: '{{$.transcript}}'\n";
    fs.writeFileSync(path.join(dir, "ja_JP", "self-service-pre-processing.yaml"), own);
    const env = parseEnvironment({ ...defaultEnvironment("dev"), promptsDir: dir }, "test");
    const { stack } = synthEnvironment(env);
    const text = (id: string) => desiredStateAt(stack, `q-in-connect/${id}/prompt`).TemplateConfiguration.TextFullAIPromptEditTemplateConfiguration.Text;
    expect(text("voice-pre-processing")).toBe(own);
    expect(text("voice-answer-generation")).toBe(fs.readFileSync(path.join(PROMPTS, "ja_JP", "self-service-answer-generation.yaml"), "utf8"));
  });

  test("an en_US environment uses the en_US templates", () => {
    const env = parseEnvironment({ ...defaultEnvironment("dev"), locales: ["en_US", "ja_JP"] }, "test");
    const { stack } = synthEnvironment(env);
    expect(desiredStateAt(stack, "q-in-connect/chat-pre-processing/prompt").TemplateConfiguration.TextFullAIPromptEditTemplateConfiguration.Text).toBe(
      fs.readFileSync(path.join(PROMPTS, "en_US", "self-service-pre-processing.yaml"), "utf8"),
    );
  });
});

describe("self-service AI agents, one per channel", () => {
  test.each(["chat", "voice"])("the %s agent references its own prompts by version id and searches the knowledge base", (channel) => {
    expect(desiredStateAt(dev.stack, `q-in-connect/${channel}-agent/agent`)).toMatchObject({
      AssistantId: attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantId"),
      Name: `cc-dev-${channel}-self-service`,
      Type: "SELF_SERVICE",
      Configuration: {
        SelfServiceAIAgentConfiguration: {
          SelfServicePreProcessingAIPromptId: attributeOf(dev.json, `q-in-connect/${channel}-pre-processing/version`, "AIPromptVersionId"),
          SelfServiceAnswerGenerationAIPromptId: attributeOf(dev.json, `q-in-connect/${channel}-answer-generation/version`, "AIPromptVersionId"),
          AssociationConfigurations: [
            { AssociationId: attributeOf(dev.json, "q-in-connect/assistant/knowledge-base-association", "AssistantAssociationId"), AssociationType: "KNOWLEDGE_BASE" },
          ],
        },
      },
    });
    const version = resourceAt(dev.json, "aws_cloudcontrolapi_resource", `q-in-connect/${channel}-agent/version/resource`);
    expect(version.lifecycle.replace_triggered_by).toEqual([
      referenceTo(dev.json, "aws_cloudcontrolapi_resource", `q-in-connect/${channel}-agent/agent/resource`, "id").slice(2, -4),
    ]);
  });

  test("without a knowledge base the agents carry no association", () => {
    expect(desiredStateAt(stg.stack, "q-in-connect/chat-agent/agent").Configuration.SelfServiceAIAgentConfiguration.AssociationConfigurations).toBeUndefined();
  });

  test("the assistant's default self-service agent is set by a CRUD custom resource calling UpdateAssistantAIAgent", () => {
    const invocation = resourceAt(dev.json, "aws_lambda_invocation", "q-in-connect/default-agent/invocation");
    expect(invocation).toMatchObject({ lifecycle_scope: "CRUD", terraform_key: "tf" });
    expect(invocation.depends_on).toEqual(
      expect.arrayContaining([referenceTo(dev.json, "aws_iam_role_policy", "default-agent/handler/role/policy", "id").slice(2, -4)]),
    );
    expect(resolveInStack(dev.stack, dev.stack.qInConnect!.defaultAgent.input)).toEqual({
      assistantId: attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantId"),
      aiAgentType: "SELF_SERVICE",
      aiAgentId: attributeOf(dev.json, "q-in-connect/voice-agent/version", "AIAgentVersionId"),
    });
    // stg chooses the chat agent as the default.
    expect(resolveInStack(stg.stack, stg.stack.qInConnect!.defaultAgent.input).aiAgentId).toBe(
      attributeOf(stg.json, "q-in-connect/chat-agent/version", "AIAgentVersionId"),
    );
    expect(resolveInStack(dev.stack, dev.stack.qInConnect!.defaultAgent.function.role.policyStatements).find((s) => s.sid === "SetDefaultAgent")).toEqual({
      sid: "SetDefaultAgent",
      actions: ["wisdom:UpdateAssistantAIAgent", "wisdom:RemoveAssistantAIAgent"],
      resources: [attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantArn")],
    });
  });

  test("qconnect-session gets the channel agents' version ids and may update only this assistant's sessions", () => {
    const fn = resourceAt(dev.json, "aws_lambda_function", "q-in-connect/session/function");
    expect(fn.environment.variables).toMatchObject({
      ASSISTANT_ID: attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantId"),
      AGENT_CHAT: attributeOf(dev.json, "q-in-connect/chat-agent/version", "AIAgentVersionId"),
      AGENT_VOICE: attributeOf(dev.json, "q-in-connect/voice-agent/version", "AIAgentVersionId"),
    });
    expect(resolveInStack(dev.stack, dev.stack.qInConnect!.sessionFunction.role.policyStatements).find((s) => s.sid === "SelectSessionAgent")).toEqual({
      sid: "SelectSessionAgent",
      actions: ["wisdom:UpdateSession"],
      resources: [`arn:aws:wisdom:ap-northeast-1:\${data.aws_caller_identity.caller-identity.account_id}:session/${attributeOf(dev.json, "q-in-connect/assistant/assistant", "AssistantId")}/*`],
    });
    expect(resourceAt(dev.json, "aws_lambda_permission", "q-in-connect/session-connect-invoke")).toMatchObject({
      principal: "connect.amazonaws.com",
      source_arn: referenceTo(dev.json, "aws_connect_instance", "connect-instance/resource", "arn"),
    });
  });
});
