import { parseEnvironment } from "../../config/load";
import type { EnvironmentInput } from "../../config/schema/environment";
import { assertLatencyBudget, expectedAgentSeconds, LatencyBudgetError, latencyPaths } from "../../stacks/latency/budget";
import { defaultEnvironment, defaultEnvironments, synthEnvironment } from "../support/synth";

function env(changes: Partial<EnvironmentInput>, base = "dev") {
  return parseEnvironment({ ...defaultEnvironment(base), ...changes }, "test");
}

function failure(changes: Partial<EnvironmentInput>, base = "dev"): LatencyBudgetError {
  try {
    assertLatencyBudget(env(changes, base));
  } catch (error) {
    if (error instanceof LatencyBudgetError) return error;
    throw error;
  }
  throw new Error("expected the latency budget to be exceeded");
}

const qInConnectChat = (models: { preProcessing: string; answerGeneration: string }, strategy: "standard" | "streaming") => ({
  channels: { chat: { engine: "q-in-connect" as const, strategy }, voice: { engine: "q-in-connect" as const } },
  qInConnect: { ...defaultEnvironment("dev").qInConnect!, agents: { ...defaultEnvironment("dev").qInConnect!.agents, chat: models } },
});

describe("latency budget (synth time)", () => {
  test.each(defaultEnvironments().map((e) => [e.name, e]))("every path of the shipped %s environment fits its channel", (_name, e) => {
    const paths = assertLatencyBudget(e);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p.expectedSeconds).toBeLessThanOrEqual(p.limitSeconds);
  });

  test("the dev table: chat through the bridge's poll window, the poller inside the flow's 8 s block, voice inside the Q in Connect fulfillment timeout, the agent selection inside its block", () => {
    const paths = latencyPaths(defaultEnvironment("dev")).map((p) => [p.channel, p.engine, p.expectedSeconds, p.limitSeconds]);
    expect(paths).toEqual([
      ["chat", "bedrock-bridge, poll strategy", 9.5, 90],
      ["chat", "bedrock-bridge answer-poller (one flow call)", 7, 8],
      ["voice", "q-in-connect", 13.5, 60],
      ["voice", "q-in-connect qconnect-session (one flow call, before the greeting)", 3, 4],
    ]);
  });

  test("the poller path's limit is the time the chat flow gives the poller, which follows its budget", () => {
    const env = defaultEnvironment("dev");
    const short = { ...env, bridge: { ...env.bridge!, poll: { ...env.bridge!.poll, pollerBudgetMs: 3_000 } } };
    const path = latencyPaths(short).find((p) => p.engine.includes("answer-poller"));
    expect(path).toMatchObject({ expectedSeconds: 3.5, limitSeconds: 4, fits: true });
    expect(path?.limitName).toContain("the chat flow's Invoke AWS Lambda block (4 s");
  });

  test("Q in Connect on standard chat with slow models (the field report) fails, naming channel, models, expected time, limit and remedies", () => {
    const error = failure(
      qInConnectChat({ preProcessing: "apac.anthropic.claude-sonnet-4-20250514-v1:0", answerGeneration: "apac.anthropic.claude-3-5-sonnet-20241022-v2:0" }, "standard"),
    );
    expect(error.message).toContain('latency budget exceeded in environment "dev"');
    expect(error.message).toContain(
      "chat (q-in-connect, standard strategy) with apac.anthropic.claude-sonnet-4-20250514-v1:0 (pre-processing) + apac.anthropic.claude-3-5-sonnet-20241022-v2:0 (answer generation): expected 13.5 s, limit 10 s (standard chat Lex timeout (hard limit))",
    );
    expect(error.message).toMatch(/remedy: use a faster chat agent model: qInConnect.agents.chat.\* = apac.amazon.nova-micro-v1:0 \(~1.5 s\)/);
    expect(error.message).toContain('remedy: turn on message streaming (channels.chat.strategy: "streaming", 60 s)');
    expect(error.message).toContain("remedy: answer chat with the Bedrock bridge's poll strategy");
    expect(error.paths.map((p) => p.channel)).toEqual(["chat"]);
  });

  test("the same models fit once message streaming raises the chat limit to 60 s", () => {
    const paths = assertLatencyBudget(
      env(qInConnectChat({ preProcessing: "apac.anthropic.claude-sonnet-4-20250514-v1:0", answerGeneration: "apac.anthropic.claude-3-5-sonnet-20241022-v2:0" }, "streaming")),
    );
    expect(paths.find((p) => p.channel === "chat")).toMatchObject({ expectedSeconds: 13.5, limitSeconds: 60, fits: true });
  });

  test("a fast chat agent fits the standard 10 s limit", () => {
    const chat = assertLatencyBudget(env(qInConnectChat({ preProcessing: "apac.amazon.nova-lite-v1:0", answerGeneration: "apac.amazon.nova-lite-v1:0" }, "standard")));
    expect(chat.find((p) => p.channel === "chat")).toMatchObject({ expectedSeconds: 5.5, limitSeconds: 10, fits: true });
  });

  test("the bridge answering chat synchronously within standard chat fails with a slow model; the poll strategy fits", () => {
    const slow = { ...defaultEnvironment("dev").bridge!, models: { chat: "apac.anthropic.claude-sonnet-4-5-20250929-v1:0", voice: "apac.amazon.nova-lite-v1:0" } };
    const error = failure({ channels: { chat: { engine: "bedrock-bridge", strategy: "standard" }, voice: { engine: "q-in-connect" } }, bridge: slow });
    expect(error.message).toContain(
      "chat (bedrock-bridge, standard strategy) with apac.anthropic.claude-sonnet-4-5-20250929-v1:0: expected 10.5 s, limit 10 s (standard chat Lex timeout (hard limit))",
    );
    expect(error.message).toContain('remedy: use the bridge\'s poll strategy (channels.chat.strategy: "poll"), which has no Lex timeout');
    const poll = assertLatencyBudget(env({ channels: { chat: { engine: "bedrock-bridge", strategy: "poll" }, voice: { engine: "q-in-connect" } }, bridge: slow }));
    expect(poll[0]).toMatchObject({ channel: "chat", expectedSeconds: 10.5, limitSeconds: 90, fits: true });
  });

  test("voice with progress updates off is limited to Lex's 30 s, and expected times can be overridden per model", () => {
    const error = failure({
      lex: { fulfillment: { "bedrock-bridge": {}, "q-in-connect": { ja_JP: { updatesActive: false }, en_US: { updatesActive: false } } } },
      latency: { modelSeconds: { "anthropic.claude-3-5-sonnet-20241022-v2:0": 30 } },
    });
    expect(error.message).toMatch(/voice \(q-in-connect\) with .*: expected 36\.5 s, limit 30 s \(Lex fulfillment timeout/);
    expect(error.message).toContain("remedy: turn on fulfillment updates and raise timeoutSeconds (up to 900 s)");
  });

  test("synth of an environment that breaks the budget fails before any resource is built", () => {
    const broken = env(
      qInConnectChat({ preProcessing: "apac.anthropic.claude-sonnet-4-20250514-v1:0", answerGeneration: "apac.anthropic.claude-sonnet-4-20250514-v1:0" }, "standard"),
    );
    expect(() => synthEnvironment(broken)).toThrow(LatencyBudgetError);
  });

  test("latencyBudget 'report' synthesizes such an environment anyway and records the path that does not fit (for the simulator)", () => {
    const slow = { preProcessing: "apac.anthropic.claude-sonnet-4-20250514-v1:0", answerGeneration: "apac.anthropic.claude-3-5-sonnet-20241022-v2:0" };
    const broken = env(qInConnectChat(slow, "standard"));
    const { stack } = synthEnvironment(broken, { latencyBudget: "report" });
    const chat = stack.latency.find((p) => p.channel === "chat" && p.engine.startsWith("q-in-connect"));
    expect(chat).toMatchObject({ expectedSeconds: 13.5, limitSeconds: 10, fits: false });
    expect(expectedAgentSeconds(broken, slow)).toBe(chat?.expectedSeconds);
  });
});
