import { fulfillmentSpec, normalizeUtterance, progressMessages } from "../../flows/simulator/integration/lex-bot";
import { SynthesizedEnvironment, TerraformModel, UnsupportedInterpolationError } from "../../flows/simulator/integration/synthesized-stack";
import { defaultEnvironments } from "../support/synth";

/**
 * The simulator reads what the stack synthesizes: every interpolation of every shipped environment's flows
 * resolves to a simulated resource that maps back to the stack; the Lex model reads the bot definition.
 */
const stacks = defaultEnvironments().map((env) => SynthesizedEnvironment.synthesize(env));

describe.each(stacks.map((stack) => [stack.env.name, stack] as const))("%s", (_name, stack) => {
  const strings = (value: unknown): string[] =>
    typeof value === "string" ? [value] : Array.isArray(value) ? value.flatMap(strings) : value && typeof value === "object" ? Object.values(value).flatMap(strings) : [];

  test("the flows' content has no interpolation left, and every ARN in it maps back to a resource of the stack", () => {
    for (const flow of Object.values(stack.flows)) {
      const texts = strings(flow.document);
      expect(texts.filter((text) => text.includes("${"))).toEqual([]);
      for (const arn of texts.filter((text) => text.startsWith("arn:"))) {
        const known = stack.functionByArn(arn) ?? stack.botByAliasArn(arn) ?? stack.model.ownerOf(arn) ?? Object.values(stack.flows).find((f) => f.arn === arn);
        const underInstance = arn.startsWith(`${stack.instanceArn}/`);
        expect({ arn, mapped: Boolean(known) || underInstance }).toEqual({ arn, mapped: true });
      }
    }
  });

  test("the customer flows name the agent-UI flow's ARN and bots whose intents and code hooks come from the bot definition", () => {
    for (const role of ["chat", "voice"] as const) {
      const texts = strings(stack.flows[role].document);
      expect(texts).toContain(stack.flows["agent-ui"].arn);
      const alias = texts.find((text) => text.includes(":bot-alias/"));
      const bot = alias ? stack.botByAliasArn(alias) : undefined;
      expect(bot?.aliasName).toBe("live");
      expect(Object.keys(bot?.locales ?? {})).toEqual(stack.env.locales);
      const engine = stack.env.channels[role].engine;
      const intents = bot?.locales[stack.env.locales[0]].map((intent) => intent.Name);
      expect(intents).toEqual(engine === "bedrock-bridge" ? ["TalkToAgent", "FallbackIntent"] : ["QInConnectIntent", "FallbackIntent"]);
      const hook = bot?.codeHooks[stack.env.locales[0]];
      if (engine === "bedrock-bridge") expect(stack.functionByArn(hook ?? "")?.functionName).toMatch(/-lex-fulfillment$/);
      else expect(hook).toBeUndefined();
    }
  });

  test("the functions' environment is resolved: table and worker names, the assistant and agent version ids qconnect-session validates", () => {
    for (const fn of stack.functions) expect(Object.values(fn.environment).filter((value) => value.includes("${"))).toEqual([]);
    const session = stack.functionAt("session");
    if (session) {
      expect(session.environment.ASSISTANT_ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(session.environment.AGENT_CHAT).toMatch(/^[0-9a-f-]{36}:1$/);
      expect(session.environment.AGENT_VOICE).not.toBe(session.environment.AGENT_CHAT);
    }
    const table = stack.turnTable();
    if (table) expect(stack.functionAt("fulfillment")?.environment.TABLE_NAME).toBe(table.name);
  });
});

test("Terraform escapes are undone; an expression the simulator cannot stand in for is refused by name", () => {
  const model = new TerraformModel({ resource: { aws_lambda_function: { f: { function_name: "cc-x-f" } } } }, "ap-northeast-1", "111122223333");
  expect(model.resolveText("$${literal} %%{directive} ${aws_lambda_function.f.arn}")).toBe(
    "${literal} %{directive} arn:aws:lambda:ap-northeast-1:111122223333:function:cc-x-f",
  );
  expect(model.ownerOf("arn:aws:lambda:ap-northeast-1:111122223333:function:cc-x-f")).toMatchObject({ address: "aws_lambda_function.f", attribute: "arn" });
  expect(() => model.resolveText("${upper(var.name)}")).toThrow(UnsupportedInterpolationError);
  expect(() => model.resolveText("${jsonencode({a = 1})}")).toThrow(UnsupportedInterpolationError);
});

test("fulfillment settings: the start response after its delay, updates counted from it, none once the answer is there or past the timeout", () => {
  const dev = stacks.find((stack) => stack.env.name === "dev")!;
  const alias = JSON.stringify(dev.flows.chat.document).match(/arn:aws:lex:[^"]+bot-alias\/[^"]+/)![0];
  const fallback = dev.botByAliasArn(alias)!.locales.ja_JP.find((intent) => intent.Name === "FallbackIntent")!;
  const spec = fulfillmentSpec(fallback.FulfillmentCodeHook);
  expect(spec).toMatchObject({ updatesActive: true, timeoutMs: 60_000, start: { delayMs: 3_000 }, update: { frequencyMs: 10_000 } });
  expect(progressMessages(spec, 2_999)).toEqual([]);
  expect(progressMessages(spec, 25_000).map((m) => m.atMs)).toEqual([3_000, 13_000, 23_000]);
  expect(progressMessages(spec, 90_000).map((m) => m.atMs)).toEqual([3_000, 13_000, 23_000, 33_000, 43_000, 53_000]);
  expect(progressMessages({ ...spec, updatesActive: false }, 25_000)).toEqual([]);
  expect(fulfillmentSpec({ FulfillmentUpdatesSpecification: { Active: false } }).timeoutMs).toBe(30_000);
});

test("utterances match sample utterances ignoring case, width and end punctuation only", () => {
  expect(normalizeUtterance("担当者と話したい。")).toBe(normalizeUtterance("担当者と話したい"));
  expect(normalizeUtterance("ＡＧＥＮＴ!")).toBe("agent");
  expect(normalizeUtterance("I want to speak to a person?")).toBe("i want to speak to a person");
  expect(normalizeUtterance("担当者の方はいますか")).not.toBe(normalizeUtterance("担当者"));
});
