import { testSettings } from "../../support/bridge-settings-fixture";
import { localeFromLanguageCode, resolveChannel, resolveLocale } from "../../../functions/shared/channel";
import { readPollRequest } from "../../../functions/shared/connect-event";
import { closeResponse, readLexEvent, withBridgeAttributes } from "../../../functions/shared/lex-event";

const settings = testSettings();

describe("resolveChannel", () => {
  test.each([
    [{ sessionChannel: "CHAT", inputMode: "Speech" }, "chat"],
    [{ sessionChannel: "voice", inputMode: "Text" }, "voice"],
    [{ sessionChannel: "SMS", platform: "Connect Chat", inputMode: "Speech" }, "chat"],
    [{ platform: "Connect", inputMode: "Speech" }, "voice"],
    [{ inputMode: "DTMF" }, "voice"],
    [{ inputMode: "Text" }, "chat"],
    [{}, "chat"],
  ])("%p -> %s", (hints, channel) => {
    expect(resolveChannel(hints)).toBe(channel);
  });
});

describe("locales", () => {
  test("known locales pass, unknown ones fall back to the default and are marked", () => {
    expect(resolveLocale("en_US", settings)).toEqual({ known: true, locale: "en_US" });
    expect(resolveLocale("fr_FR", settings)).toEqual({ known: false, locale: "ja_JP", requested: "fr_FR" });
    expect(resolveLocale(undefined, settings)).toMatchObject({ known: false, locale: "ja_JP" });
  });
  test("Connect language codes map to bridge locales", () => {
    expect(localeFromLanguageCode("en-US", settings)).toBe("en_US");
    expect(localeFromLanguageCode("ja_jp", settings)).toBe("ja_JP");
    expect(localeFromLanguageCode("de-DE", settings)).toBe("ja_JP");
    expect(localeFromLanguageCode(42, settings)).toBe("ja_JP");
  });
});

describe("Lex events and responses", () => {
  test("keeps only string session attributes and a valid intent", () => {
    const request = readLexEvent({ sessionState: { sessionAttributes: { a: "1", b: 2, c: null }, intent: { name: "bad name!", state: "Nope" } } });
    expect(request?.sessionAttributes).toEqual({ a: "1" });
    expect(request?.intent).toEqual({ name: "FallbackIntent", state: "InProgress" });
    expect(readLexEvent([])).toBeUndefined();
  });
  test("bridge attributes of earlier turns are replaced, others kept", () => {
    expect(withBridgeAttributes({ Tool: "HANDOFF", escalation_reason: "x", other: "y" }, { status: "READY" })).toEqual({ other: "y", bridgeStatus: "READY" });
  });
  test("closeResponse never sends an empty message list", () => {
    const response = closeResponse("FallbackIntent", {}, [""]);
    expect(response.messages).toHaveLength(1);
    expect(response.messages![0].content.length).toBeGreaterThan(0);
  });
});

describe("readPollRequest", () => {
  test("takes the contact only from ContactData and validates the turn id", () => {
    const ok = readPollRequest({ Details: { ContactData: { ContactId: "abc-123" }, Parameters: { turnId: "0mwr2knuh-537mvm4t", contactId: "other" } } });
    expect(ok).toEqual({ ok: true, contactId: "abc-123", turnId: "0mwr2knuh-537mvm4t", pollCount: 0, languageCode: undefined });
    expect(readPollRequest({ Details: { ContactData: { ContactId: "abc-123" }, Parameters: { turnId: "0MWR2KNUH-537MVM4T" } } })).toMatchObject({ ok: false, problem: "malformed Details.Parameters.turnId" });
    expect(readPollRequest({ Details: { Parameters: { turnId: "0mwr2knuh-537mvm4t" } } })).toMatchObject({ ok: false });
  });

  test("reads the flow's poll count as a small non-negative integer, anything else as 0", () => {
    const count = (pollCount: unknown) => readPollRequest({ Details: { ContactData: { ContactId: "abc-123" }, Parameters: { turnId: "0mwr2knuh-537mvm4t", pollCount } } }).pollCount;
    expect(count("7")).toBe(7);
    expect(count("0")).toBe(0);
    expect(count(undefined)).toBe(0);
    expect(count("")).toBe(0);
    expect(count("-3")).toBe(0);
    expect(count("2.5")).toBe(0);
    expect(count("$.Attributes.bridgePollCount")).toBe(0);
    expect(count("99999")).toBe(10_000);
  });
});
