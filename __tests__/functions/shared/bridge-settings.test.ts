import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { handler as pollerHandler } from "../../../functions/answer-poller";
import { BridgeSettingsSchema, SettingsError, resetBridgeSettingsCache, validateBridgeSettings } from "../../../functions/shared/bridge-settings";
import { setLogSink } from "../../../functions/shared/log";
import { setMetricsSink } from "../../../functions/shared/metrics";
import { testSettings } from "../../support/bridge-settings-fixture";
import { contactId, pollEvent } from "../../support/bridge-events";

/**
 * settings.json is checked with one schema (BridgeSettingsSchema) by the stack that writes it and by the
 * handlers that read it; a problem is a SettingsError naming each bad field's path.
 */

const good = testSettings();

function problem(value: unknown): string {
  try {
    validateBridgeSettings(value);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error("settings were accepted");
}

test("the test fixture and a single-locale environment's settings pass", () => {
  expect(validateBridgeSettings(good)).toEqual(good);
  const jaOnly = { ...good, locales: ["ja_JP"], messages: { ja_JP: good.messages.ja_JP }, systemPrompts: { ja_JP: good.systemPrompts.ja_JP } };
  expect(BridgeSettingsSchema.safeParse(jaOnly).success).toBe(true);
});

test.each<[string, unknown, string[]]>([
  ["a budget of the wrong type", { ...good, budgets: { ...good.budgets, pollerBudgetMs: "400" } }, ["settings.budgets.pollerBudgetMs: expected number"]],
  ["a negative budget (a Lex timeout shorter than the margin)", { ...good, budgets: { ...good.budgets, voiceMs: -500 } }, ["settings.budgets.voiceMs: must be at least 1"]],
  ["an empty message", { ...good, messages: { ...good.messages, en_US: { ...good.messages.en_US, apology: "" } } }, ["settings.messages.en_US.apology: must have at least 1 character"]],
  ["a missing message set", { ...good, messages: { ja_JP: good.messages.ja_JP } }, ["settings.messages.en_US: missing"]],
  ["an empty system prompt", { ...good, systemPrompts: { ...good.systemPrompts, ja_JP: "" } }, ["settings.systemPrompts.ja_JP: must have at least 1 character"]],
  ["a default locale that is not configured", { ...good, locales: ["en_US"], messages: { en_US: good.messages.en_US }, systemPrompts: { en_US: "p" } }, ["settings.defaultLocale: must be one of locales (en_US)"]],
  ["an unknown strategy and version", { ...good, version: 2, chatStrategy: "fast" }, ["settings.version: expected 1", 'settings.chatStrategy: expected "poll" or "streaming" or "standard"']],
  ["an unknown field", { ...good, budgets: { ...good.budgets, pollMs: 1 } }, ["settings.budgets: unknown field pollMs"]],
  ["a model setting out of range", { ...good, maxTokens: 5, temperature: 3 }, ["settings.maxTokens: must be at least 64", "settings.temperature: must be at most 1"]],
  ["a malformed knowledge base id", { ...good, knowledgeBaseId: "kb-1" }, ["settings.knowledgeBaseId: must match"]],
  ["not an object", [], ["settings: expected object"]],
])("%s: the error names the field path", (_name, value, expected) => {
  const message = problem(value);
  expect(message).toMatch(/^invalid bridge settings: /);
  for (const part of expected) expect(message).toContain(part);
});

test("a handler reading invalid settings logs the SettingsError with the field path and answers with the last-resort text", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridge-settings-invalid-"));
  const file = path.join(dir, "settings.json");
  fs.writeFileSync(file, JSON.stringify({ ...good, budgets: { ...good.budgets, pollIntervalMs: 0 } }));
  const previousPath = process.env.BRIDGE_SETTINGS_PATH;
  process.env.BRIDGE_SETTINGS_PATH = file;
  resetBridgeSettingsCache();
  const lines: Record<string, unknown>[] = [];
  const previousLog = setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const previousMetrics = setMetricsSink(() => undefined);
  try {
    const result = await pollerHandler(pollEvent(contactId(), "000000000-00000000"));
    expect(result.status).toBe("FAILED");
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "error", message: "bridge settings unavailable", errorName: "SettingsError", errorMessage: expect.stringContaining("settings.budgets.pollIntervalMs: must be at least 1") }),
    );
  } finally {
    setLogSink(previousLog);
    setMetricsSink(previousMetrics);
    if (previousPath === undefined) delete process.env.BRIDGE_SETTINGS_PATH;
    else process.env.BRIDGE_SETTINGS_PATH = previousPath;
    resetBridgeSettingsCache();
  }
});
