import { resetAwsClients } from "../../../functions/shared/aws-clients";
import { type NewTurn, claimTurn, createTurn, getTurn, isTurnId, loadHistory, newClaimToken, newTurnId, settleTurn } from "../../../functions/shared/turn-store";
import { type LocalDynamo, startDynalite } from "../../support/dynalite";

let dynamo: LocalDynamo;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  dynamo = await startDynalite();
  Object.assign(process.env, {
    AWS_REGION: "ap-northeast-1",
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    TABLE_NAME: dynamo.tableName,
  });
  resetAwsClients();
});
afterAll(async () => {
  resetAwsClients();
  await dynamo.close();
});

let sequence = 0;
function turn(overrides: Partial<NewTurn> = {}): NewTurn {
  const now = Date.now() + sequence++;
  return { contactId: "contact-1", turnId: newTurnId(now), utterance: `q${sequence}`, locale: "ja_JP", channel: "chat", createdAt: now, deadlineAt: now + 60_000, expiresAt: Math.floor(now / 1000) + 3600, ...overrides };
}
const done = (answer: string) => ({ status: "DONE" as const, answer, tool: "ANSWER" as const, modelId: "m", attempts: 1 });

test("turn ids sort in creation order and have a fixed shape", () => {
  const ids = [0, 1, 35, 36, 1e12, Date.now(), 3e12].map((ms) => newTurnId(ms));
  expect([...ids].sort()).toEqual(ids);
  for (const id of ids) expect(isTurnId(id)).toBe(true);
  expect(new Set(Array.from({ length: 1000 }, () => newTurnId(5))).size).toBe(1000);
});

test("create is idempotent-safe: a second create with the same key does not overwrite", async () => {
  const t = turn();
  expect(await createTurn(t)).toBe(true);
  expect(await createTurn({ ...t, utterance: "overwritten?" })).toBe(false);
  expect((await getTurn(t))?.utterance).toBe(t.utterance);
});

test("only one of two concurrent claims wins; a live lease blocks, an expired one does not", async () => {
  const t = turn({ contactId: "contact-claim" });
  await createTurn(t);
  const now = Date.now();
  const [a, b] = await Promise.all([
    claimTurn(t, { token: "A", nowMs: now, leaseUntil: now + 200 }),
    claimTurn(t, { token: "B", nowMs: now, leaseUntil: now + 200 }),
  ]);
  expect([a.claimed, b.claimed].filter(Boolean)).toHaveLength(1);
  const loser = a.claimed ? b : a;
  expect(loser).toMatchObject({ claimed: false, current: { status: "PENDING" } });
  // After the lease ran out another run may take over, and only the current holder can settle.
  const later = now + 500;
  const c = await claimTurn(t, { token: "C", nowMs: later, leaseUntil: later + 1_000 });
  expect(c).toMatchObject({ claimed: true, turn: { claimToken: "C", claims: 2 } });
  expect(await settleTurn(t, done("from A"), later, a.claimed ? "A" : "B")).toBe(false);
  expect(await settleTurn(t, done("from C"), later, "C")).toBe(true);
  expect(await settleTurn(t, { status: "FAILED", reason: "late" }, later, "C")).toBe(false);
  expect(await getTurn(t)).toMatchObject({ status: "DONE", answer: "from C", leaseUntil: undefined });
});

test("a turn past its deadline cannot be claimed; a missing one reports no current turn", async () => {
  const t = turn({ contactId: "contact-late", deadlineAt: Date.now() - 1 });
  await createTurn(t);
  expect(await claimTurn(t, { token: newClaimToken(), nowMs: Date.now(), leaseUntil: Date.now() + 1_000 })).toMatchObject({ claimed: false, current: { status: "PENDING" } });
  expect(await claimTurn({ contactId: "nobody", turnId: newTurnId() }, { token: "x", nowMs: Date.now(), leaseUntil: Date.now() })).toEqual({ claimed: false, current: undefined });
});

test("settling a missing turn does not create it", async () => {
  const key = { contactId: "ghost", turnId: newTurnId() };
  expect(await settleTurn(key, done("x"), Date.now(), undefined)).toBe(false);
  expect(await getTurn(key)).toBeUndefined();
});

test("history: the last N answered turns before this one, oldest first, same contact only, TTL respected", async () => {
  const contact = "contact-history";
  const turns: NewTurn[] = [];
  for (let i = 0; i < 8; i += 1) {
    const t = turn({ contactId: contact, utterance: `q${i}` });
    await createTurn(t);
    turns.push(t);
  }
  for (const [i, t] of turns.entries()) {
    if (i === 5) await settleTurn(t, { status: "FAILED", reason: "x" }, Date.now(), undefined);
    else if (i !== 6) await settleTurn(t, done(`a${i}`), Date.now(), undefined);
  }
  // Answered, but past its TTL and not yet deleted by DynamoDB: must not be history.
  const expired = { ...turn({ contactId: contact, utterance: "old", expiresAt: Math.floor(Date.now() / 1000) - 1 }), turnId: newTurnId(turns[2].createdAt + 0.5) };
  await createTurn(expired);
  await settleTurn(expired, done("old answer"), Date.now(), undefined);
  await createTurn(turn({ contactId: "someone-else", utterance: "foreign" }));
  const current = turns[7];
  const history = await loadHistory(contact, current.turnId, 3, Date.now());
  expect(history.map((h) => [h.utterance, h.answer])).toEqual([
    ["q2", "a2"],
    ["q3", "a3"],
    ["q4", "a4"],
  ]);
  const all = await loadHistory(contact, current.turnId, 20, Date.now());
  expect(all.map((h) => h.utterance)).toEqual(["q0", "q1", "q2", "q3", "q4"]);
  expect(await loadHistory(contact, current.turnId, 0, Date.now())).toEqual([]);
});
