import { loadEnvironments, parseEnvironment } from "../../config/load";
import devInput from "../../config/environments/dev";
import { DEFAULT_BRIDGE_MESSAGES } from "../../stacks/bridge/default-messages";
import { chatLimit, smokePlan } from "../../tools/smoke/expectations";
import { parseOutputs, resourceId } from "../../tools/smoke/outputs";

const env = (name: string) => loadEnvironments({ only: name })[0];

describe("smoke plan", () => {
  test("dev (bridge, poll strategy): the poll window is the chat limit; interim and apology texts are the bridge's", () => {
    const plan = smokePlan(env("dev"));
    expect(plan).toMatchObject({
      environment: "dev",
      locale: "ja_JP",
      engine: "bedrock-bridge",
      handoffPhrase: "担当者と話したい",
      limitSeconds: 90,
      limitName: "bridge.poll.turnTimeoutSeconds (the poll window of one turn)",
      graceSeconds: 30,
      pollIntervalMs: 1000,
    });
    expect(plan.interimTexts).toContain(DEFAULT_BRIDGE_MESSAGES.ja_JP.interim);
    expect(plan.apologyTexts).toEqual(expect.arrayContaining([DEFAULT_BRIDGE_MESSAGES.ja_JP.apology, DEFAULT_BRIDGE_MESSAGES.ja_JP.expired]));
  });

  test("stg (Q in Connect, streaming): 60 s; the Lex failure and timeout responses are apologies, the answer placeholder is not", () => {
    const plan = smokePlan(env("stg"));
    expect(plan.limitSeconds).toBe(60);
    expect(plan.engine).toBe("q-in-connect");
    expect(plan.apologyTexts.some((t) => t.includes("x-amz-lex"))).toBe(false);
    expect(plan.apologyTexts.length).toBeGreaterThanOrEqual(2);
    expect(plan.interimTexts.length).toBeGreaterThanOrEqual(1);
  });

  test("a configured or given answer timeout tightens the limit but never loosens it", () => {
    const dev = env("dev");
    expect(smokePlan(dev, { answerTimeoutSeconds: 20 })).toMatchObject({ limitSeconds: 20, graceSeconds: 20 });
    expect(smokePlan(dev, { answerTimeoutSeconds: 20 }).limitName).toMatch(/^--answer-timeout \(tighter than bridge.poll.turnTimeoutSeconds/);
    expect(smokePlan(dev, { answerTimeoutSeconds: 500 }).limitSeconds).toBe(90);
    const configured = parseEnvironment({ ...(devInput as object), smoke: { answerTimeoutSeconds: 12 } }, "test");
    expect(smokePlan(configured).limitName).toMatch(/^smoke.answerTimeoutSeconds/);
    expect(chatLimit(configured).seconds).toBe(90);
  });

  test("bridge message overrides replace the defaults the smoke test compares with", () => {
    const custom = parseEnvironment(
      { ...(devInput as object), bridge: { ...(devInput as { bridge: object }).bridge, messages: { ja_JP: { interim: "お待ちください。" } } } },
      "test",
    );
    const plan = smokePlan(custom);
    expect(plan.interimTexts).toContain("お待ちください。");
    expect(plan.interimTexts).not.toContain(DEFAULT_BRIDGE_MESSAGES.ja_JP.interim);
    expect(plan.apologyTexts).toContain(DEFAULT_BRIDGE_MESSAGES.ja_JP.apology);
  });

  test("smoke.locale picks the conversation; a locale the environment does not serve is an error", () => {
    const en = parseEnvironment({ ...(devInput as object), smoke: { locale: "en_US" } }, "test");
    expect(smokePlan(en)).toMatchObject({ locale: "en_US", handoffPhrase: "talk to an agent" });
    const stgEn = parseEnvironment({ ...(env("stg") as object), smoke: { locale: "en_US" } }, "test");
    expect(() => smokePlan(stgEn)).toThrow("smoke.locale is en_US, but environment stg serves ja_JP");
  });
});

describe("stack outputs", () => {
  test("string outputs of terraform output -json; composite ids and ARNs give the resource id", () => {
    const outputs = parseOutputs(JSON.stringify({ a: { value: "x", type: "string", sensitive: false }, b: { value: ["list"] } }), "test");
    expect(outputs).toEqual({ a: "x" });
    expect(resourceId("inst-1:queue-2")).toBe("queue-2");
    expect(resourceId("arn:aws:connect:ap-northeast-1:123456789012:instance/i/queue/q-3")).toBe("q-3");
    expect(resourceId("plain-id")).toBe("plain-id");
    expect(() => parseOutputs("not json", "out.json")).toThrow(/out.json is not the JSON of "terraform output -json"/);
  });
});
