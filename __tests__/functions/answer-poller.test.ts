import { handler as pollerHandler, judgeTurn } from "../../functions/answer-poller";
import { type NewTurn, type Turn, newClaimToken, newTurnId, settleTurn } from "../../functions/shared/turn-store";
import { metricSum, storePendingTurn, useBridge } from "../support/bridge-harness";
import { contactId, lambdaContext, pollEvent } from "../support/bridge-events";
import { TARGETS, handlerFor } from "../support/built-bundle";

/** answer-poller on its own, against turns written straight into the table. */

const bridge = useBridge();

function turn(overrides: Partial<NewTurn> = {}): Promise<NewTurn> {
  return storePendingTurn(overrides);
}

const done = (answer: string) => ({ status: "DONE" as const, answer, tool: "ANSWER" as const, modelId: "m", attempts: 1 });

// Also run against the built bundle (the zip's index.js), so bundling mistakes fail here too.
test.each(TARGETS)("a settled turn is returned on the first read (%s)", async (target) => {
  const t = await turn();
  await settleTurn(t, done("[ready]"), Date.now(), undefined);
  const result = await handlerFor(target, "answer-poller", pollerHandler)(pollEvent(t.contactId, t.turnId), lambdaContext());
  expect(result).toMatchObject({ status: "READY", answer: "[ready]", Tool: "ANSWER", turnId: t.turnId, message: "" });
  expect(metricSum(bridge().metrics, "PollReads")).toBe(1);
  expect(metricSum(bridge().metrics, "PollReady")).toBe(1);
});

test("an answer that lands during the call is returned by that same call", async () => {
  bridge().useSettings({ budgets: { pollerBudgetMs: 3_000, pollIntervalMs: 50 } });
  const t = await turn();
  setTimeout(() => void settleTurn(t, done("[landed]"), Date.now(), undefined), 300);
  const result = await pollerHandler(pollEvent(t.contactId, t.turnId), lambdaContext());
  expect(result).toMatchObject({ status: "READY", answer: "[landed]" });
  // It did not sit out its 3 s budget; reads went on at the interval until the answer was there.
  expect(Number(result.waitedMs)).toBeLessThan(3_000);
  expect(metricSum(bridge().metrics, "PollReads")).toBeGreaterThan(2);
});

test("a turn still being answered gives PENDING after the budget, with the turn id", async () => {
  const t = await turn();
  const result = await pollerHandler(pollEvent(t.contactId, t.turnId, { pollCount: "4" }), lambdaContext());
  expect(result).toEqual({
    status: "PENDING",
    answer: "",
    Tool: "",
    customer_issue: "",
    bot_response: "",
    conversation_summary: "",
    escalation_reason: "",
    message: "",
    turnId: t.turnId,
    waitedMs: expect.stringMatching(/^\d+$/),
    // The flow's count for this turn, plus this call: the flow stops polling at its limit.
    pollCount: "5",
  });
  expect(Number(result.waitedMs)).toBeGreaterThanOrEqual(400);
  expect(metricSum(bridge().metrics, "PollReads")).toBeGreaterThan(3);
});

test("the poll stops before Lambda's remaining time runs out", async () => {
  bridge().useSettings({ budgets: { pollerBudgetMs: 7_000 } });
  const t = await turn();
  const started = Date.now();
  const result = await pollerHandler(pollEvent(t.contactId, t.turnId), lambdaContext(1_000));
  expect(result.status).toBe("PENDING");
  expect(Date.now() - started).toBeLessThan(1_000);
});

test("FAILED turns give the apology in the turn's locale", async () => {
  const t = await turn({ locale: "en_US" });
  await settleTurn(t, { status: "FAILED", reason: "throttled" }, Date.now(), undefined);
  const result = await pollerHandler(pollEvent(t.contactId, t.turnId, { languageCode: "ja-JP" }), lambdaContext());
  expect(result).toMatchObject({ status: "FAILED", answer: "", message: expect.stringContaining("[apology-en]") });
});

test("EXPIRED: missing turn, turn past its TTL (not yet deleted), turn pending long after its deadline", async () => {
  const missing = await pollerHandler(pollEvent(contactId(), newTurnId()), lambdaContext());
  expect(missing).toMatchObject({ status: "EXPIRED", message: expect.stringContaining("[expired-ja]") });

  const old = await turn({ expiresAt: Math.floor(Date.now() / 1000) - 10 });
  await settleTurn(old, done("[stale]"), Date.now(), undefined);
  const stale = await pollerHandler(pollEvent(old.contactId, old.turnId), lambdaContext());
  expect(stale).toMatchObject({ status: "EXPIRED", answer: "" });

  const abandoned = await turn({ createdAt: Date.now() - 60_000, deadlineAt: Date.now() - 30_000, claimToken: newClaimToken(), leaseUntil: Date.now() - 30_000 });
  const late = await pollerHandler(pollEvent(abandoned.contactId, abandoned.turnId, { languageCode: "en-US" }), lambdaContext());
  expect(late).toMatchObject({ status: "EXPIRED", message: expect.stringContaining("[expired-ja]") });
  expect(metricSum(bridge().metrics, "PollExpired")).toBe(3);
});

test("a turn id of another contact is never read: the key is the caller's ContactId", async () => {
  const victim = await turn();
  await settleTurn(victim, { ...done("[victim secret]"), tool: "HANDOFF", handoff: { customer_issue: "card 1234", bot_response: "b", conversation_summary: "s", escalation_reason: "r" } }, Date.now(), undefined);
  const attacker = contactId();
  const event = pollEvent(attacker, victim.turnId);
  // Extra parameters that try to name the victim's contact are ignored.
  (event.Details as { Parameters: Record<string, string> }).Parameters.contactId = victim.contactId;
  (event.Details as { Parameters: Record<string, string> }).Parameters.ContactId = victim.contactId;
  const result = await pollerHandler(event, lambdaContext());
  expect(result.status).toBe("EXPIRED");
  expect(JSON.stringify(result)).not.toMatch(/victim secret|card 1234/);
});

test.each(TARGETS)("read errors are not answers: the poller keeps polling and returns PENDING without throwing (%s)", async (target) => {
  const t = await turn();
  const table = process.env.TABLE_NAME;
  process.env.TABLE_NAME = "no-such-table";
  try {
    const result = await handlerFor(target, "answer-poller", pollerHandler)(pollEvent(t.contactId, t.turnId), lambdaContext());
    expect(result).toMatchObject({ status: "PENDING", turnId: t.turnId });
  } finally {
    process.env.TABLE_NAME = table;
  }
  expect(bridge().logs.filter((line) => line.message === "turn read failed; polling on")).toHaveLength(1);
});

test("judgeTurn: settled states win over the deadline; TTL is compared in code", () => {
  const now = Date.now();
  const base: Turn = { contactId: "c", turnId: newTurnId(now), status: "PENDING", utterance: "u", locale: "ja_JP", channel: "chat", createdAt: now - 1_000, deadlineAt: now + 1_000, expiresAt: Math.floor(now / 1000) + 60 };
  expect(judgeTurn(base, now).status).toBe("PENDING");
  expect(judgeTurn({ ...base, deadlineAt: now - 1_000 }, now).status).toBe("PENDING"); // inside the grace period
  expect(judgeTurn({ ...base, deadlineAt: now - 10_000 }, now).status).toBe("EXPIRED");
  expect(judgeTurn({ ...base, status: "DONE", answer: "a", deadlineAt: now - 10_000 }, now).status).toBe("READY");
  expect(judgeTurn({ ...base, status: "DONE" }, now).status).toBe("FAILED"); // DONE without an answer is not READY
  expect(judgeTurn({ ...base, status: "DONE", answer: "a", expiresAt: Math.floor(now / 1000) - 1 }, now).status).toBe("EXPIRED");
  expect(judgeTurn(undefined, now).status).toBe("EXPIRED");
});
