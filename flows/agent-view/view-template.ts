/**
 * The agent view of a handed-over contact: a customer-managed Amazon Connect view (step-by-step guide
 * view) that shows the agent what the bot learned before the handoff. Pure data, no cdktf: the stack
 * puts the template into an AWS::Connect::View, the agent-UI flow fills it through ShowView `ViewData`.
 *
 * Template format (admin guide, "view-resources-custom-view"): `{Head: {Title, Configuration}, Body}`;
 * every component is `{_id, Type, Props, Content}`; a prop value `"$.<key>"` reads `<key>` of the
 * ShowView block's ViewData. `AttributeBar` shows label/value pairs; `Copyable: true` copies the
 * attribute's `ResourceId`, so the kit sets `ResourceId` to the same reference as `Value`.
 */
import type { Locale } from "../../config/schema/common";
import { ContactAttribute, HANDOFF_FIELDS } from "../../functions/shared/flow-contract";

/** One component of a view template. */
export interface ViewComponent {
  readonly _id: string;
  readonly Type: string;
  readonly Props: { readonly [key: string]: unknown };
  readonly Content: readonly (ViewComponent | string)[];
}

/** A customer-managed view's template. */
export interface ViewTemplate {
  readonly Head: { readonly Title: string; readonly Configuration: { readonly Layout: { readonly Columns: readonly string[] } } };
  readonly Body: readonly ViewComponent[];
}

/**
 * Every ViewData key the handoff view reads, in display order. Each key is also the name of the contact
 * attribute the customer flows write (functions/shared/flow-contract.ts), so the agent-UI flow passes
 * `$.Attributes.<key>` under `<key>`.
 */
export const HANDOFF_VIEW_KEYS = [ContactAttribute.customerEndpoint, ContactAttribute.handoffSource, ...HANDOFF_FIELDS] as const;
export type HandoffViewKey = (typeof HANDOFF_VIEW_KEYS)[number];

/** Keys whose value the agent can copy (the handoff source is a code, not something to paste). */
export const COPYABLE_VIEW_KEYS: readonly HandoffViewKey[] = HANDOFF_VIEW_KEYS.filter((k) => k !== ContactAttribute.handoffSource);

/** What the view says, per locale. */
export interface HandoffViewTexts {
  /** The view's title (Head.Title and the header line). */
  readonly title: string;
  readonly labels: Readonly<Record<HandoffViewKey, string>>;
}

export const HANDOFF_VIEW_TEXTS: Readonly<Record<Locale, HandoffViewTexts>> = {
  ja_JP: {
    title: "AIアシスタントからの引き継ぎ",
    labels: {
      customer_endpoint: "お客様の電話番号 / チャットID",
      handoffSource: "引き継ぎのきっかけ",
      customer_issue: "お客様のご用件",
      bot_response: "AIアシスタントの回答",
      conversation_summary: "会話の要約",
      escalation_reason: "担当者につないだ理由",
    },
  },
  en_US: {
    title: "Handed over by the AI assistant",
    labels: {
      customer_endpoint: "Customer phone number / chat ID",
      handoffSource: "Handoff trigger",
      customer_issue: "Customer issue",
      bot_response: "Assistant's answer",
      conversation_summary: "Conversation summary",
      escalation_reason: "Why an agent is needed",
    },
  },
};

/**
 * The rows of the view: each row is one AttributeBar. Short values share a row; the free-text fields
 * (answer, summary) get a row each so long text stays readable.
 */
const ROWS: readonly { readonly id: string; readonly keys: readonly HandoffViewKey[] }[] = [
  { id: "HandoffContact", keys: ["customer_endpoint", "handoffSource"] },
  { id: "HandoffIssue", keys: ["customer_issue", "escalation_reason"] },
  { id: "HandoffBotResponse", keys: ["bot_response"] },
  { id: "HandoffSummary", keys: ["conversation_summary"] },
];

/** The `$.<key>` reference a template uses to read a ViewData entry. */
export function viewDataReference(key: string): string {
  return `$.${key}`;
}

function attribute(key: HandoffViewKey, label: string): Record<string, unknown> {
  const value = viewDataReference(key);
  return COPYABLE_VIEW_KEYS.includes(key) ? { Label: label, Value: value, ResourceId: value, Copyable: true } : { Label: label, Value: value };
}

/** The handoff summary view's template in one locale. */
export function handoffViewTemplate(locale: Locale): ViewTemplate {
  const texts = HANDOFF_VIEW_TEXTS[locale];
  if (!texts) throw new Error(`no handoff view texts for locale ${JSON.stringify(locale)}; known: ${Object.keys(HANDOFF_VIEW_TEXTS).join(", ")}`);
  return {
    Head: { Title: texts.title, Configuration: { Layout: { Columns: ["12"] } } },
    Body: [
      {
        _id: "HandoffSummaryContainer",
        Type: "Container",
        Props: {},
        Content: [
          { _id: "HandoffTitle", Type: "Header", Props: { variant: "h2" }, Content: [texts.title] },
          ...ROWS.map((row) => ({
            _id: row.id,
            Type: "AttributeBar",
            Props: { Attributes: row.keys.map((key) => attribute(key, texts.labels[key])) },
            Content: [],
          })),
        ],
      },
    ],
  };
}

/** The view's description (the View Description pattern allows no parentheses). */
export const HANDOFF_VIEW_DESCRIPTION = "What the self-service bot learned before it handed the contact to an agent";

/**
 * Every ViewData key a template reads: the `<key>` of each string value that is exactly `$.<key>` or
 * starts with `$.<key>.` (a nested read), anywhere in the template. Sorted, without duplicates.
 */
export function viewDataKeysOf(template: unknown): string[] {
  const keys = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      const match = /^\$\.([^.[\]\s]+)/.exec(value);
      if (match) keys.add(match[1]);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === "object") {
      Object.values(value).forEach(visit);
    }
  };
  visit(template);
  return [...keys].sort();
}
