import { flatStringMapProblems, lexResponseProblems } from "../../bench/soak/checks";
import { type FuzzReport, FUZZED_HANDLERS, runFuzz } from "../../bench/soak/fuzz";
import { SENTINEL, mutate } from "../../bench/soak/mutate";
import { markersIn, planConversations } from "../../bench/soak/plan";
import { Random, keyedChance } from "../../bench/soak/random";
import { quickCampaign } from "../../bench/soak/config";

/**
 * Fuzzing every handler with generated malformed events (bench/soak/fuzz.ts), 200 cases each here
 * (`npm run soak`: 1,000), against the built bundles: Lex- and Connect-facing handlers always return a
 * valid response and never throw, the worker never calls a model for an event naming no claimable turn,
 * custom resources reject invalid input with an Error naming the field and no AWS call, and no
 * fuzzer-made string reaches AWS as an identifier. Seeded: SOAK_SEED=<n> repeats a run.
 */
const SEED = Number(process.env.SOAK_SEED ?? 1);
jest.setTimeout(150_000);

describe("fuzzing (200 cases per handler)", () => {
  let report: FuzzReport;
  beforeAll(async () => {
    report = await runFuzz({ seed: SEED, casesPerHandler: quickCampaign().fuzzCasesPerHandler });
  }, 150_000);

  test.each(FUZZED_HANDLERS)(`seed ${SEED}: %s`, (handler) => {
    const result = report.handlers.find((h) => h.handler === handler);
    expect(result?.findings).toEqual([]);
    expect(result?.cases).toBe(200);
    expect(result?.restarts).toBe(0);
  });

  test("the cases reach past validation too (not every event is rejected)", () => {
    const outcome = (handler: string, key: string) => report.handlers.find((h) => h.handler === handler)?.outcomes[key] ?? 0;
    expect(outcome("lex-fulfillment", "Close PENDING")).toBeGreaterThan(0);
    expect(outcome("answer-poller", "READY")).toBeGreaterThan(0);
    expect(outcome("qconnect-session", "OK")).toBeGreaterThan(0);
    for (const handler of ["assistant-default-agent", "chat-message-streaming", "phone-number-flow", "connect-integration"]) {
      expect(outcome(handler, "OK")).toBeGreaterThan(0);
      expect(outcome(handler, "invalid input")).toBeGreaterThan(0);
    }
  });
});

describe("the campaign's own tools", () => {
  test("the response checks reject what Lex and Connect would refuse", () => {
    const valid = { sessionState: { dialogAction: { type: "Close" }, intent: { name: "FallbackIntent", state: "Fulfilled" }, sessionAttributes: { a: "b" } }, messages: [{ contentType: "PlainText", content: "hi" }] };
    expect(lexResponseProblems(valid)).toEqual([]);
    expect(lexResponseProblems(undefined)).not.toEqual([]);
    expect(lexResponseProblems({ ...valid, messages: [] })).not.toEqual([]);
    expect(lexResponseProblems({ ...valid, messages: [{ contentType: "PlainText", content: "x".repeat(1001) }] })).not.toEqual([]);
    expect(lexResponseProblems({ sessionState: { ...valid.sessionState, sessionAttributes: { n: 1 } }, messages: valid.messages })).not.toEqual([]);
    expect(lexResponseProblems({ sessionState: { ...valid.sessionState, intent: { name: "a b", state: "Fulfilled" } }, messages: valid.messages })).not.toEqual([]);
    expect(lexResponseProblems({ sessionState: { ...valid.sessionState, dialogAction: { type: "Delegate" } }, messages: valid.messages })).not.toEqual([]);
    expect(flatStringMapProblems({ status: "READY" }, ["status"])).toEqual([]);
    expect(flatStringMapProblems({ status: 1 }, ["status"])).not.toEqual([]);
    expect(flatStringMapProblems({ status: "READY" }, ["status", "answer"])).not.toEqual([]);
    expect(flatStringMapProblems({ nested: { a: "b" } })).not.toEqual([]);
  });

  test("mutation is seeded, keeps to JSON and adds __proto__ as a key, never as the prototype", () => {
    const base = { a: "x", b: { c: [1, 2] } };
    const first = Array.from({ length: 50 }, (_, i) => JSON.stringify(mutate(base, new Random(SEED).fork(String(i))).event));
    const again = Array.from({ length: 50 }, (_, i) => JSON.stringify(mutate(base, new Random(SEED).fork(String(i))).event));
    expect(again).toEqual(first);
    const random = new Random(7);
    for (let i = 0; i < 100; i += 1) {
      const { event } = mutate(base, random);
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
      if (event && typeof event === "object" && !Array.isArray(event)) expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(first.some((text) => text.includes(SENTINEL))).toBe(true);
  });

  test("plans and keyed faults depend on the seed alone", () => {
    const options = { ...quickCampaign().soak, locales: { chat: ["ja_JP"], voice: ["ja_JP"] }, conversations: 20, turnsPerConversation: 5 };
    expect(planConversations({ ...options, seed: 3 })).toEqual(planConversations({ ...options, seed: 3 }));
    expect(planConversations({ ...options, seed: 3 })).not.toEqual(planConversations({ ...options, seed: 4 }));
    const plan = planConversations({ ...options, seed: 3 });
    expect(new Set(plan.map((p) => p.token)).size).toBe(20);
    expect(markersIn(plan[0].turns[2].text)).toEqual([[plan[0].token, 3]]);
    const decisions = Array.from({ length: 1_000 }, (_, i) => keyedChance(9, `GetItem k ${i}`, 0.01));
    expect(Array.from({ length: 1_000 }, (_, i) => keyedChance(9, `GetItem k ${i}`, 0.01))).toEqual(decisions);
    expect(decisions.filter(Boolean).length).toBeGreaterThan(0);
    expect(decisions.filter(Boolean).length).toBeLessThan(40);
  });
});
