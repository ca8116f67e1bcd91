/**
 * A synthesized environment, read back from its cdk.tf.json for simulation: the flows' content with every
 * Terraform interpolation replaced by the identifier of a simulated resource, and the resources behind
 * those identifiers (functions, bots, the assistant, the turn table), so the runtime can map an ARN the
 * flow uses back to what the stack deploys. Identifiers are deterministic: the same address always gets
 * the same ARN or UUID.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "../../../config/schema/environment";
import type { ContactCenterStack } from "../../../stacks/contact-center-stack";
import type { FlowDocument } from "../flow-document";
import { synthEnvironment, type TerraformJson, unzip } from "./loopback";

/** A resource of the synthesized JSON: `type.name`, or `data.type.name` for data sources. */
export interface ResourceRef {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly data: boolean;
  /** The attribute whose value was generated (arn, AssistantId, ...). */
  readonly attribute?: string;
}

/** Thrown when the JSON holds an interpolation the simulator cannot stand in for. */
export class UnsupportedInterpolationError extends Error {
  override name = "UnsupportedInterpolationError";
}

const CLOUD_CONTROL = "aws_cloudcontrolapi_resource";

function digest(text: string): Buffer {
  return crypto.createHash("sha256").update(text).digest();
}

/** A UUID (version 4 layout) derived from `seed`. */
export function uuidFrom(seed: string): string {
  const hex = digest(seed).toString("hex");
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A 10-character upper-case id like Lex's bot and alias ids, derived from `seed`. */
function lexIdFrom(seed: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return [...digest(seed).subarray(0, 10)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

/**
 * Replaces the interpolations of Terraform JSON strings with simulated identifiers and remembers which
 * resource each identifier stands for.
 */
export class TerraformModel {
  private readonly cache = new Map<string, string>();
  private readonly owners = new Map<string, ResourceRef>();

  constructor(
    readonly json: TerraformJson,
    readonly region: string,
    readonly accountId: string,
  ) {}

  /** The resource or data source block at `address` (`type.name` or `data.type.name`). */
  block(address: string): TerraformJson {
    const ref = this.parseAddress(address);
    const block = (ref.data ? this.json.data : this.json.resource)?.[ref.type]?.[ref.name];
    if (!block) throw new Error(`no ${address} in the synthesized stack`);
    return block;
  }

  /** Every block of a resource type, by name. */
  resources(type: string): Record<string, TerraformJson> {
    return this.json.resource?.[type] ?? {};
  }

  /** Which resource a generated identifier stands for. */
  ownerOf(value: string): ResourceRef | undefined {
    return this.owners.get(value);
  }

  /** `text` with every `${...}` replaced (and Terraform's `$${` / `%%{` escapes undone). */
  resolveText(text: string): string {
    let out = "";
    let i = 0;
    while (i < text.length) {
      const dollar = text.startsWith("$${", i);
      const percent = text.startsWith("%%{", i);
      if (dollar || percent) {
        out += dollar ? "${" : "%{";
        i += 3;
        continue;
      }
      if (text.startsWith("%{", i)) throw new UnsupportedInterpolationError(`template directive at ${JSON.stringify(text.slice(i, i + 60))}`);
      if (!text.startsWith("${", i)) {
        out += text[i];
        i += 1;
        continue;
      }
      const end = text.indexOf("}", i + 2);
      const expression = end < 0 ? "" : text.slice(i + 2, end);
      if (end < 0 || expression.includes("{")) throw new UnsupportedInterpolationError(`interpolation at ${JSON.stringify(text.slice(i, i + 80))}`);
      out += this.evaluate(expression.trim());
      i = end + 1;
    }
    return out;
  }

  /** Resolves every string in a JSON value. */
  resolveValue<T>(value: T): T {
    if (typeof value === "string") return this.resolveText(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.resolveValue(item)) as T;
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.resolveValue(item)])) as T;
    }
    return value;
  }

  /** The desired state of a Cloud Control resource, resolved and parsed. */
  desiredState(name: string): TerraformJson {
    const block = this.block(`${CLOUD_CONTROL}.${name}`);
    return JSON.parse(this.resolveText(String(block.desired_state))) as TerraformJson;
  }

  /** One interpolated expression: `type.name.attr`, `data.type.name.attr` or `jsondecode(<cloud control>.properties).Attr`. */
  evaluate(expression: string): string {
    const cached = this.cache.get(expression);
    if (cached !== undefined) return cached;
    let value: string;
    const cloud = /^jsondecode\((aws_cloudcontrolapi_resource)\.([\w-]+)\.properties\)\.(\w+)$/.exec(expression);
    const plain = /^(data\.)?([a-z0-9_]+)\.([\w-]+)\.(\w+)$/.exec(expression);
    if (cloud) {
      value = this.cloudControlAttribute(cloud[2], cloud[3]);
      this.remember(value, { address: `${CLOUD_CONTROL}.${cloud[2]}`, type: CLOUD_CONTROL, name: cloud[2], data: false, attribute: cloud[3] });
    } else if (plain) {
      const data = plain[1] !== undefined;
      const ref: ResourceRef = { address: `${data ? "data." : ""}${plain[2]}.${plain[3]}`, type: plain[2], name: plain[3], data, attribute: plain[4] };
      value = this.attribute(ref, plain[4]);
      this.remember(value, ref);
    } else {
      throw new UnsupportedInterpolationError(`\${${expression}}: the simulator resolves resource attributes only`);
    }
    this.cache.set(expression, value);
    return value;
  }

  private remember(value: string, ref: ResourceRef): void {
    if (!this.owners.has(value)) this.owners.set(value, ref);
  }

  private parseAddress(address: string): ResourceRef {
    const parts = address.split(".");
    const data = parts[0] === "data";
    const [type, name] = data ? parts.slice(1) : parts;
    if (!type || !name) throw new Error(`not a resource address: ${address}`);
    return { address, type, name, data };
  }

  private literal(block: TerraformJson, key: string): string | undefined {
    const value = block[key];
    if (typeof value === "string") return this.resolveText(value);
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return undefined;
  }

  private instanceArn(instanceId: string): string {
    return `arn:aws:connect:${this.region}:${this.accountId}:instance/${instanceId}`;
  }

  /** The simulated id of the instance a Connect resource belongs to (its `instance_id`). */
  private instanceOf(block: TerraformJson): string {
    const id = this.literal(block, "instance_id");
    if (!id) throw new Error("a Connect resource without instance_id");
    return id;
  }

  private attribute(ref: ResourceRef, attribute: string): string {
    const block = this.block(ref.address);
    const own = this.literal(block, attribute);
    if (own !== undefined) return own;
    const seed = ref.address;
    const { region, accountId } = this;
    switch (ref.type) {
      case "aws_lambda_function": {
        const name = this.literal(block, "function_name") ?? ref.name;
        const arn = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
        if (attribute === "arn") return arn;
        if (attribute === "qualified_arn") return `${arn}:$LATEST`;
        if (attribute === "invoke_arn") return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
        break;
      }
      case "aws_connect_instance": {
        const id = uuidFrom(seed);
        if (attribute === "id") return id;
        if (attribute === "arn") return this.instanceArn(id);
        break;
      }
      case "aws_connect_queue":
      case "aws_connect_contact_flow":
      case "aws_connect_hours_of_operation":
      case "aws_connect_routing_profile": {
        const segment = { aws_connect_queue: "queue", aws_connect_contact_flow: "contact-flow", aws_connect_hours_of_operation: "operating-hours", aws_connect_routing_profile: "routing-profile" }[ref.type];
        const idAttribute = { aws_connect_queue: "queue_id", aws_connect_contact_flow: "contact_flow_id", aws_connect_hours_of_operation: "hours_of_operation_id", aws_connect_routing_profile: "routing_profile_id" }[ref.type];
        const id = uuidFrom(seed);
        const instance = this.instanceOf(block);
        if (attribute === idAttribute) return id;
        if (attribute === "id") return `${instance}:${id}`;
        if (attribute === "arn") return `${this.instanceArn(instance)}/${segment}/${id}`;
        break;
      }
      case "aws_dynamodb_table":
        if (attribute === "arn") return `arn:aws:dynamodb:${region}:${accountId}:table/${this.literal(block, "name") ?? ref.name}`;
        break;
      case "aws_iam_role":
        if (attribute === "arn") return `arn:aws:iam::${accountId}:role/${this.literal(block, "name") ?? ref.name}`;
        break;
      case "aws_cloudwatch_log_group":
        if (attribute === "arn") return `arn:aws:logs:${region}:${accountId}:log-group:${this.literal(block, "name") ?? ref.name}`;
        break;
      case "aws_caller_identity":
        if (attribute === "account_id") return accountId;
        break;
    }
    if (ref.data && ref.type === "aws_connect_instance") {
      const id = this.literal(block, "instance_id") ?? uuidFrom(seed);
      if (attribute === "id") return id;
      if (attribute === "arn") return this.instanceArn(id);
    }
    if (attribute === "arn") return `arn:aws:sim:${region}:${accountId}:${ref.type}/${ref.name}`;
    if (attribute === "id" || attribute.endsWith("_id")) return uuidFrom(`${seed}#${attribute}`);
    if (attribute === "name" || attribute === "function_name") return ref.name;
    throw new UnsupportedInterpolationError(`\${${ref.address}.${attribute}}: no simulated value for this attribute`);
  }

  private cloudControlAttribute(name: string, attribute: string): string {
    const block = this.block(`${CLOUD_CONTROL}.${name}`);
    const typeName = String(block.type_name);
    const seed = `${CLOUD_CONTROL}.${name}`;
    const { region, accountId } = this;
    const desired = (): TerraformJson => this.desiredState(name);
    switch (typeName) {
      case "AWS::Lex::Bot":
        if (attribute === "Id") return lexIdFrom(seed);
        if (attribute === "Arn") return `arn:aws:lex:${region}:${accountId}:bot/${lexIdFrom(seed)}`;
        break;
      case "AWS::Lex::BotVersion":
        if (attribute === "BotVersion") return "1";
        break;
      case "AWS::Lex::BotAlias":
        if (attribute === "BotAliasId") return lexIdFrom(seed);
        if (attribute === "Arn") return `arn:aws:lex:${region}:${accountId}:bot-alias/${String(desired().BotId)}/${lexIdFrom(seed)}`;
        break;
      case "AWS::Wisdom::Assistant":
        if (attribute === "AssistantId") return uuidFrom(seed);
        if (attribute === "AssistantArn") return `arn:aws:wisdom:${region}:${accountId}:assistant/${uuidFrom(seed)}`;
        break;
      case "AWS::Wisdom::KnowledgeBase":
        if (attribute === "KnowledgeBaseId") return uuidFrom(seed);
        if (attribute === "KnowledgeBaseArn") return `arn:aws:wisdom:${region}:${accountId}:knowledge-base/${uuidFrom(seed)}`;
        break;
      case "AWS::Wisdom::AIAgentVersion":
        if (attribute === "AIAgentVersionId") return `${uuidFrom(seed)}:1`;
        break;
      case "AWS::Wisdom::AIPromptVersion":
        if (attribute === "AIPromptVersionId") return `${uuidFrom(seed)}:1`;
        break;
      case "AWS::Connect::View":
        if (attribute === "ViewArn") return `${String(desired().InstanceArn)}/view/${uuidFrom(seed)}`;
        if (attribute === "ViewId") return uuidFrom(seed);
        break;
      case "AWS::Connect::ViewVersion":
        if (attribute === "ViewVersionArn") return `${String(desired().ViewArn)}:1`;
        if (attribute === "Version") return "1";
        break;
    }
    if (attribute.endsWith("Arn")) return `arn:aws:sim:${region}:${accountId}:${typeName.replace(/::/g, "-").toLowerCase()}/${uuidFrom(seed)}`;
    if (attribute.endsWith("Id")) return uuidFrom(`${seed}#${attribute}`);
    // Any other read-only attribute (a content hash, a version number): a stable token nothing interprets.
    return `sim-${attribute}-${digest(`${seed}#${attribute}`).toString("hex").slice(0, 16)}`;
  }
}

/** One Lambda function of the stack. */
export interface StackFunction {
  readonly address: string;
  readonly functionName: string;
  readonly arn: string;
  /** Absolute path of the package the stack deploys (the synthesized asset). */
  readonly zipPath: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  /** Environment variables, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** The construct path, e.g. contact-center-dev/bedrock-bridge/poller/function. */
  readonly constructPath: string;
}

/** An intent of a bot locale, as the `AWS::Lex::Bot` desired state defines it. */
export interface BotIntentDefinition {
  readonly Name: string;
  readonly ParentIntentSignature?: string;
  readonly SampleUtterances?: readonly { readonly Utterance: string }[];
  readonly IntentClosingSetting?: TerraformJson;
  readonly FulfillmentCodeHook?: TerraformJson;
  readonly QInConnectIntentConfiguration?: TerraformJson;
}

/** A bot as the flows reach it: through its alias. */
export interface StackBot {
  readonly aliasArn: string;
  readonly aliasId: string;
  readonly aliasName: string;
  readonly botId: string;
  readonly botName: string;
  /** Intents per locale id. */
  readonly locales: Readonly<Record<string, readonly BotIntentDefinition[]>>;
  /** The Lambda code hook per locale id (the alias's locale settings). */
  readonly codeHooks: Readonly<Record<string, string | undefined>>;
}

export type FlowRole = "chat" | "voice" | "agent-ui";

/** A contact flow of the stack with its content resolved. */
export interface StackFlow {
  readonly role: FlowRole;
  readonly name: string;
  readonly arn: string;
  readonly document: FlowDocument;
}

export interface SynthesizedEnvironmentOptions {
  /** See ContactCenterStackProps.latencyBudget. @default "enforce" */
  readonly latencyBudget?: "enforce" | "report";
  /** Account id of the simulated resources. @default the first allowedAccountIds entry, else 111122223333 */
  readonly accountId?: string;
}

/** A synthesized environment and its resources, ready to simulate. */
export class SynthesizedEnvironment {
  readonly model: TerraformModel;
  readonly flows: Readonly<Record<FlowRole, StackFlow>>;
  readonly functions: readonly StackFunction[];
  readonly instanceArn: string;

  private constructor(
    readonly env: EnvironmentConfig,
    readonly stack: ContactCenterStack,
    readonly stackDir: string,
    json: TerraformJson,
    accountId: string,
  ) {
    const region = String(json.provider?.aws?.[0]?.region ?? env.region);
    this.model = new TerraformModel(json, region, accountId);
    this.functions = Object.entries(this.model.resources("aws_lambda_function")).map(([name, block]) => {
      const address = `aws_lambda_function.${name}`;
      const variables = (block.environment?.variables ?? {}) as Record<string, string>;
      return {
        address,
        functionName: this.model.evaluate(`${address}.function_name`),
        arn: this.model.evaluate(`${address}.arn`),
        zipPath: path.join(stackDir, String(block.filename)),
        handler: String(block.handler),
        timeoutSeconds: Number(block.timeout ?? 3),
        environment: this.model.resolveValue(variables),
        constructPath: String(block["//"]?.metadata?.path ?? ""),
      };
    });
    const flows: Partial<Record<FlowRole, StackFlow>> = {};
    for (const [name, block] of Object.entries(this.model.resources("aws_connect_contact_flow"))) {
      // Construct paths: <stack>/flows/chat/flow, <stack>/flows/voice/flow, <stack>/flows/agent-view/flow/flow.
      const segments = String(block["//"]?.metadata?.path ?? "").split("/");
      const under = segments[segments.indexOf("flows") + 1];
      const role: FlowRole | undefined = under === "agent-view" ? "agent-ui" : under === "chat" || under === "voice" ? under : undefined;
      if (!role) continue;
      flows[role] = {
        role,
        name: String(block.name),
        arn: this.model.evaluate(`aws_connect_contact_flow.${name}.arn`),
        document: JSON.parse(this.model.resolveText(String(block.content))) as FlowDocument,
      };
    }
    for (const role of ["chat", "voice", "agent-ui"] as const) if (!flows[role]) throw new Error(`the stack has no ${role} flow`);
    this.flows = flows as Record<FlowRole, StackFlow>;
    const managed = Object.keys(this.model.resources("aws_connect_instance"))[0];
    const existing = Object.keys(json.data?.aws_connect_instance ?? {})[0];
    this.instanceArn = managed
      ? this.model.evaluate(`aws_connect_instance.${managed}.arn`)
      : existing
        ? this.model.evaluate(`data.aws_connect_instance.${existing}.arn`)
        : this.model.evaluate("aws_connect_instance.simulated.arn");
  }

  /** Synthesizes `env` into a scratch folder and reads it back. */
  static synthesize(env: EnvironmentConfig, options: SynthesizedEnvironmentOptions = {}): SynthesizedEnvironment {
    const synthesized = synthEnvironment(env, { latencyBudget: options.latencyBudget });
    const accountId = options.accountId ?? env.allowedAccountIds?.[0] ?? "111122223333";
    return new SynthesizedEnvironment(env, synthesized.stack, synthesized.stackDir, synthesized.json, accountId);
  }

  get region(): string {
    return this.model.region;
  }

  /** The function with this ARN or name. */
  functionByArn(arnOrName: string): StackFunction | undefined {
    return this.functions.find((f) => f.arn === arnOrName || f.functionName === arnOrName || arnOrName.startsWith(`${f.arn}:`));
  }

  /** The function whose construct path contains `/<segment>/` (e.g. "poller"). */
  functionAt(segment: string): StackFunction | undefined {
    return this.functions.find((f) => f.constructPath.split("/").includes(segment));
  }

  /** The bot behind a bot alias ARN the flows use. */
  botByAliasArn(aliasArn: string): StackBot | undefined {
    const owner = this.model.ownerOf(aliasArn);
    if (!owner || owner.type !== CLOUD_CONTROL) return undefined;
    const aliasBlock = this.model.block(owner.address);
    if (aliasBlock.type_name !== "AWS::Lex::BotAlias") return undefined;
    const alias = this.model.desiredState(owner.name);
    const botOwner = this.model.ownerOf(String(alias.BotId));
    if (!botOwner) return undefined;
    const bot = this.model.desiredState(botOwner.name);
    const locales: Record<string, BotIntentDefinition[]> = {};
    for (const locale of (bot.BotLocales ?? []) as TerraformJson[]) locales[String(locale.LocaleId)] = locale.Intents ?? [];
    const codeHooks: Record<string, string | undefined> = {};
    for (const setting of (alias.BotAliasLocaleSettings ?? []) as TerraformJson[]) {
      const localeSetting = setting.BotAliasLocaleSetting ?? {};
      codeHooks[String(setting.LocaleId)] = localeSetting.Enabled === false ? undefined : localeSetting.CodeHookSpecification?.LambdaCodeHook?.LambdaArn;
    }
    return {
      aliasArn,
      aliasId: aliasArn.split("/").pop() ?? "",
      aliasName: String(alias.BotAliasName),
      botId: String(alias.BotId),
      botName: String(bot.Name),
      locales,
      codeHooks,
    };
  }

  /** The turn table's name and key, when the stack has one. */
  turnTable(): { name: string; hashKey: string; rangeKey?: string } | undefined {
    const [entry] = Object.values(this.model.resources("aws_dynamodb_table"));
    if (!entry) return undefined;
    return { name: String(entry.name), hashKey: String(entry.hash_key), ...(entry.range_key ? { rangeKey: String(entry.range_key) } : {}) };
  }

  /** Whether the stack turns on chat message streaming for the instance (the chat-message-streaming custom resource). */
  enablesMessageStreaming(): boolean {
    return Object.values(this.model.resources("aws_lambda_invocation")).some((block) =>
      String(block["//"]?.metadata?.path ?? "").split("/").includes("chat-message-streaming"),
    );
  }

  /** A file of a function's package (e.g. the bridge's settings.json); undefined when the package has none. */
  packagedFile(fn: StackFunction, file: string): string | undefined {
    return unzip(fs.readFileSync(fn.zipPath))[file]?.data.toString("utf8");
  }
}
