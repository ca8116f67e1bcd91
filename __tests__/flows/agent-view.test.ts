import {
  AGENT_UI_ACTIONS,
  buildAgentUiFlow,
  COPYABLE_VIEW_KEYS,
  HANDOFF_VIEW_DESCRIPTION,
  HANDOFF_VIEW_KEYS,
  HANDOFF_VIEW_TEXTS,
  handoffViewData,
  handoffViewTemplate,
  viewDataKeysOf,
  type ViewComponent,
} from "../../flows/agent-view";
import { FlowInputError, validateFlow } from "../../flows/language";
import { LOCALES } from "../../config/schema/common";
import { ContactAttribute, HANDOFF_FIELDS } from "../../functions/shared/flow-contract";

const VERSION_ARN = "arn:aws:connect:ap-northeast-1:123456789012:instance/0f1e2d3c-4b5a-4697-8a8b-000000000007/view/0f1e2d3c-4b5a-4697-8a8b-000000000008:1";

/** Every component of a template, depth first. */
function components(list: readonly (ViewComponent | string)[]): ViewComponent[] {
  return list.flatMap((c) => (typeof c === "string" ? [] : [c, ...components(c.Content)]));
}

function attributes(locale: (typeof LOCALES)[number]): Record<string, unknown>[] {
  return components(handoffViewTemplate(locale).Body)
    .filter((c) => c.Type === "AttributeBar")
    .flatMap((c) => c.Props.Attributes as Record<string, unknown>[]);
}

describe("the handoff view template", () => {
  test("reads the customer endpoint, the handoff source and the four handoff fields, named as the flow contract names the contact attributes", () => {
    expect([...HANDOFF_VIEW_KEYS]).toEqual([ContactAttribute.customerEndpoint, ContactAttribute.handoffSource, ...HANDOFF_FIELDS]);
  });

  test.each(LOCALES.map((l) => [l]))("%s: every $.key the template reads has a ViewData entry, and every ViewData entry is read", (locale) => {
    const read = viewDataKeysOf(handoffViewTemplate(locale));
    const given = Object.keys(handoffViewData()).sort();
    expect(read).toEqual(given);
    expect(read).toEqual([...HANDOFF_VIEW_KEYS].sort());
    // ViewData passes each contact attribute under its own name.
    for (const [key, value] of Object.entries(handoffViewData())) expect(value).toBe(`$.Attributes.${key}`);
  });

  test.each(LOCALES.map((l) => [l]))("%s: head, one header and AttributeBars only (AttributeSection is not used)", (locale) => {
    const template = handoffViewTemplate(locale);
    expect(template.Head).toEqual({ Title: HANDOFF_VIEW_TEXTS[locale].title, Configuration: { Layout: { Columns: ["12"] } } });
    const types = components(template.Body).map((c) => c.Type);
    expect(types).toEqual(["Container", "Header", "AttributeBar", "AttributeBar", "AttributeBar", "AttributeBar"]);
    const ids = components(template.Body).map((c) => c._id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(LOCALES.map((l) => [l]))("%s: every value except the handoff source is copyable, copying the value itself", (locale) => {
    const rows = attributes(locale);
    expect(rows.map((a) => a.Value).sort()).toEqual(HANDOFF_VIEW_KEYS.map((k) => `$.${k}`).sort());
    for (const row of rows) {
      const key = String(row.Value).slice(2);
      expect(row.Label).toBe(HANDOFF_VIEW_TEXTS[locale].labels[key as (typeof HANDOFF_VIEW_KEYS)[number]]);
      if (key === ContactAttribute.handoffSource) {
        expect(row).toEqual({ Label: row.Label, Value: "$.handoffSource" });
      } else {
        expect(row).toEqual({ Label: row.Label, Value: `$.${key}`, ResourceId: `$.${key}`, Copyable: true });
      }
    }
    expect(COPYABLE_VIEW_KEYS).toHaveLength(HANDOFF_VIEW_KEYS.length - 1);
  });

  test("Japanese and English texts are complete and different", () => {
    for (const locale of LOCALES) {
      const texts = HANDOFF_VIEW_TEXTS[locale];
      expect(texts.title.length).toBeGreaterThan(0);
      expect(Object.keys(texts.labels).sort()).toEqual([...HANDOFF_VIEW_KEYS].sort());
      for (const label of Object.values(texts.labels)) expect(label.trim().length).toBeGreaterThan(0);
    }
    expect(HANDOFF_VIEW_TEXTS.ja_JP.labels.customer_issue).not.toBe(HANDOFF_VIEW_TEXTS.en_US.labels.customer_issue);
    expect(HANDOFF_VIEW_TEXTS.ja_JP.title).toMatch(/[\u3040-\u30ff]/);
  });

  test("the description fits the View Description pattern (no parentheses)", () => {
    expect(HANDOFF_VIEW_DESCRIPTION).toMatch(/^[\p{L}\p{N}_.:/=+\-@,']+[\p{L}\p{Z}\p{N}_.:/=+\-@,']*$/u);
  });

  test("viewDataKeysOf finds nested reads and ignores other strings", () => {
    expect(viewDataKeysOf({ a: ["$.x", { b: "$.y.z" }], c: "text $.not-a-read", d: "$.Attributes.q", e: 3 })).toEqual(["Attributes", "x", "y"]);
  });
});

describe("the agent-UI flow", () => {
  const doc = buildAgentUiFlow({ viewArn: VERSION_ARN, timeoutSeconds: 300 });

  test("passes the strict validator as a CONTACT_FLOW run as a chat-type guide contact, without warnings", () => {
    expect(validateFlow(doc, { strict: true, flowType: "CONTACT_FLOW", channels: ["CHAT"] })).toEqual([]);
  });

  test("would be refused on a voice-only flow: ShowView does not show on voice contacts", () => {
    const findings = validateFlow(doc, { strict: true, flowType: "CONTACT_FLOW", channels: ["VOICE"] });
    expect(findings).toEqual([expect.objectContaining({ severity: "error", rule: "channel-unsupported", actionId: AGENT_UI_ACTIONS.show })]);
  });

  test("logs, shows the version-qualified view as given with the timeout and ViewData, and disconnects on every branch", () => {
    expect(doc.StartAction).toBe(AGENT_UI_ACTIONS.logging);
    expect(doc.Actions.map((a) => a.Type)).toEqual(["UpdateFlowLoggingBehavior", "ShowView", "DisconnectParticipant"]);
    const show = doc.Actions.find((a) => a.Type === "ShowView")!;
    expect(show.Parameters).toEqual({ ViewResource: { Id: VERSION_ARN }, InvocationTimeLimitSeconds: "300", ViewData: handoffViewData() });
    const targets = [show.Transitions?.NextAction, ...(show.Transitions?.Errors ?? []).map((e) => e.NextAction)];
    expect(new Set(targets)).toEqual(new Set([AGENT_UI_ACTIONS.end]));
    expect((show.Transitions?.Errors ?? []).map((e) => e.ErrorType).sort()).toEqual(["NoMatchingCondition", "NoMatchingError", "TimeLimitExceeded"]);
  });

  test("without logging it starts at the view; a token or $LATEST ARN is written untouched", () => {
    const bare = buildAgentUiFlow({ viewArn: "${VIEW_ARN}:$LATEST", timeoutSeconds: "600", logging: false });
    expect(bare.StartAction).toBe(AGENT_UI_ACTIONS.show);
    expect(bare.Actions[0].Parameters).toMatchObject({ ViewResource: { Id: "${VIEW_ARN}:$LATEST" }, InvocationTimeLimitSeconds: "600" });
    expect(validateFlow(bare, { strict: true, flowType: "CONTACT_FLOW", channels: ["CHAT"] })).toEqual([]);
  });

  test("a timeout that is not a whole number of seconds is refused when the flow is built", () => {
    expect(() => buildAgentUiFlow({ viewArn: VERSION_ARN, timeoutSeconds: 0 })).toThrow(FlowInputError);
    expect(() => buildAgentUiFlow({ viewArn: VERSION_ARN, timeoutSeconds: 2.5 })).toThrow(/timeoutSeconds is 2.5/);
  });
});
