import { z } from "zod";
import { perLocale } from "./common";

/**
 * What the contact flows say themselves (the bots say the rest), per locale. Unset entries fall back to
 * the kit's texts (stacks/flows/default-messages.ts).
 */
export const FlowMessages = z.strictObject({
  /** First prompt of a contact, before the customer's first message. */
  greeting: z.string().min(1).max(1000).optional(),
  /** Prompt of the input block after a bot answer (it runs again for every message, so it must not greet). */
  followUp: z.string().min(1).max(1000).optional(),
  /** Chat only: said when the customer stopped typing for `chat.inputTimeoutSeconds`. */
  inputTimeout: z.string().min(1).max(1000).optional(),
  /** Said when self-service fails (bot or Lambda error) before the contact goes to an agent. */
  error: z.string().min(1).max(1000).optional(),
  /** Said when the queue is full or the transfer fails, before disconnecting. */
  agentsUnavailable: z.string().min(1).max(1000).optional(),
  /** Chat poll strategy: said when the answer did not arrive within the turn's poll budget. */
  answerTimeout: z.string().min(1).max(1000).optional(),
});
export type FlowMessages = z.output<typeof FlowMessages>;

const WeekDay = z.enum(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]);
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a time of day as HH:MM (24-hour clock)");

/** Opening hours of the handoff queue (only used when the kit creates the queue). */
export const HoursConfig = z
  .strictObject({
    /** IANA time zone of the hours, e.g. Asia/Tokyo. */
    timeZone: z.string().regex(/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)*$/, "expected an IANA time zone such as Asia/Tokyo").default("Asia/Tokyo"),
    /** Open days with their hours. Default: every day, around the clock. */
    days: z
      .array(
        z.strictObject({
          day: WeekDay.describe("day of the week"),
          start: ClockTime.describe("opening time, HH:MM"),
          end: ClockTime.describe("closing time, HH:MM (after start)"),
        }),
      )
      .min(1)
      .optional(),
  })
  .superRefine((hours, ctx) => {
    hours.days?.forEach((d, index) => {
      if (d.start >= d.end) ctx.addIssue({ code: "custom", path: ["days", index, "end"], message: `end (${d.end}) must be after start (${d.start})` });
    });
  });

/** Where a handed-off contact goes. */
export const HandoffConfig = z.strictObject({
  /**
   * The queue of an existing instance (`connect.mode: "existing"`), as its id. With `connect.mode:
   * "create"` the kit creates hours of operation, a queue and a routing profile instead.
   */
  queueId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "expected a Connect queue id (a UUID)")
    .optional(),
  hours: HoursConfig.default({ timeZone: "Asia/Tokyo" }),
  /** Contacts the created queue holds at most; more go down the transfer's QueueAtCapacity branch. */
  maxContacts: z.number().int().min(1).max(10_000).optional(),
  /** Seconds the agent view stays open in the agent workspace (Show view block). */
  viewTimeoutSeconds: z.number().int().min(10).max(3600).default(300),
});

/** A phone number pointed at the voice flow. */
export const PhoneNumberConfig = z.discriminatedUnion("mode", [
  z.strictObject({
    /** Claim a new number for the instance. */
    mode: z.literal("claim"),
    /** ISO 3166-1 alpha-2 country code, e.g. JP or US. */
    countryCode: z.string().regex(/^[A-Z]{2}$/, "expected a two-letter country code such as JP"),
    type: z.enum(["DID", "TOLL_FREE"]).default("DID").describe("number type: direct inward dialing or toll-free"),
    /** Digits the number should start with, in E.164 form (e.g. +8150). */
    prefix: z.string().regex(/^\+\d{1,15}$/, "expected a prefix such as +8150").optional(),
  }),
  z.strictObject({
    /** Use a number the instance has already claimed. */
    mode: z.literal("existing"),
    /** The phone number's id (a UUID). */
    phoneNumberId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "expected a phone number id (a UUID)"),
  }),
]);

export type PhoneNumberConfig = z.output<typeof PhoneNumberConfig>;

export const FlowsConfig = z.strictObject({
  messages: perLocale(FlowMessages).default({}).describe("the flows' texts per locale; unset ones keep the kit's defaults (stacks/flows/default-messages.ts)"),
  chat: z
    .strictObject({
      /**
       * Seconds the chat waits for the customer's next message (the Lex block's inactivity timer); then the
       * flow says `inputTimeout` and disconnects. Connect's console accepts 1 minute to 7 days.
       */
      inputTimeoutSeconds: z.number().int().min(60).max(604_800).default(600),
    })
    .default({ inputTimeoutSeconds: 600 })
    .describe("chat flow settings"),
  voice: z
    .strictObject({
      /** Participants whose audio is recorded (the instance needs call-recording storage). Empty: no recording. */
      recording: z.array(z.enum(["Agent", "Customer"])).max(2).default(["Agent", "Customer"]),
      /** Contact Lens post-contact analytics of recorded calls (needs both participants recorded). */
      analytics: z.boolean().default(false),
    })
    .default({ recording: ["Agent", "Customer"], analytics: false })
    .refine((v) => !v.analytics || v.recording.length === 2, {
      message: "analytics needs both Agent and Customer recorded",
      path: ["analytics"],
    })
    .describe("voice flow settings: recording and post-contact analytics"),
  handoff: HandoffConfig.default({ hours: { timeZone: "Asia/Tokyo" }, viewTimeoutSeconds: 300 }),
  /** A phone number to point at the voice flow. Default: none (point a number at the flow yourself). */
  phoneNumber: PhoneNumberConfig.optional(),
  /** Contact flow logs in CloudWatch (the created instance has flow logs on). */
  logging: z.boolean().default(true),
});
export type FlowsConfig = z.output<typeof FlowsConfig>;
