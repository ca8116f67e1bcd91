import { z } from "zod";

/**
 * The failure-rate alarms, each on metrics the kit's functions emit (namespace ContactCenterKit/Bridge):
 * - `bedrockErrors`, `bedrockThrottles`: failed / throttled Bedrock calls per Bedrock call made (bedrock-worker,
 *   and lex-fulfillment when it answers synchronously);
 * - `syncFailures`: synchronous turns answered with an apology (lex-fulfillment: voice, chat streaming/standard);
 * - `pollFailures`: chat turns the answer-poller reported FAILED or EXPIRED;
 * - `workerInvokeErrors`: chat turns whose worker could not be started;
 * - `answersFailed`: chat turns the worker stored as FAILED;
 * - `agentSelection`: qconnect-session calls that could not set the channel's Q in Connect AI agent.
 */
export const RATE_ALARM_KINDS = ["bedrockErrors", "bedrockThrottles", "syncFailures", "pollFailures", "workerInvokeErrors", "answersFailed", "agentSelection"] as const;
export type RateAlarmKind = (typeof RATE_ALARM_KINDS)[number];

const SnsTopicArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, "expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic name>)");

/** The kit creates the topic. */
export const CreateAlarmTopic = z.strictObject({
  /**
   * The kit creates the topic `<prefix>-<env>-<name>`, encrypted with a KMS key it also creates, whose key
   * policy lets CloudWatch alarms of this environment publish (the AWS managed key `alias/aws/sns` cannot:
   * its policy does not admit CloudWatch, so alarm notifications to such a topic are never delivered).
   */
  create: z.literal(true),
  /**
   * Last part of the topic's name. Changing it replaces the topic (subscriptions must be confirmed again);
   * environments whose topic the bridge created before alarms became a top-level section keep `bridge-alarms`.
   */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "expected 1-40 letters, digits, hyphens or underscores")
    .default("alarms"),
  /** Email addresses subscribed to the topic; each must confirm the subscription from the mail AWS sends. */
  emails: z.array(z.email()).default([]),
});

/** The alarms notify a topic managed elsewhere (an on-call integration's, a shared operations topic). */
export const ExistingAlarmTopic = z.strictObject({
  /**
   * ARN of the existing topic, in the environment's region. If it is encrypted with KMS, its key policy
   * must allow `cloudwatch.amazonaws.com` kms:Decrypt and kms:GenerateDataKey*; the kit changes nothing on it.
   */
  arn: SnsTopicArn,
});

export const AlarmTopicConfig = z.union([CreateAlarmTopic, ExistingAlarmTopic], {
  error: (issue) =>
    issue.code === "invalid_union"
      ? 'expected {create: true, name?, emails?} (the kit creates an encrypted topic) or {arn: "<existing SNS topic ARN>"}, not both'
      : undefined,
});
export type AlarmTopicConfig = z.output<typeof AlarmTopicConfig>;

/** How a failure-rate alarm decides: the failure percentage per period, how many periods, the traffic guard. */
export const FailureRate = z.strictObject({
  /** Failure percentage of a period at which that period counts as failing. */
  percent: z.number().gt(0).max(100).default(20),
  /** Length of one period in seconds (a multiple of 60). */
  periodSeconds: z
    .number()
    .int()
    .min(60)
    .max(3600)
    .refine((s) => s % 60 === 0, { message: "expected a multiple of 60 seconds" })
    .default(300),
  /** Periods the alarm looks back over. */
  evaluationPeriods: z.number().int().min(1).max(24).default(3),
  /** Failing periods among `evaluationPeriods` that raise the alarm (at most `evaluationPeriods`). */
  datapointsToAlarm: z.number().int().min(1).max(24).default(2),
  /** Requests a period needs before its percentage counts; below it a period fails only when everything failed. */
  minimumRequests: z.number().int().min(1).default(10),
  /** Below `minimumRequests`, a period in which every request failed counts as failing once this many failed. */
  allFailingMinimum: z.number().int().min(1).default(3),
});
export type FailureRate = z.output<typeof FailureRate>;

/** Same fields as `failureRate`, each optional: what one alarm changes. */
export const FailureRateOverride = z.strictObject({
  percent: z.number().gt(0).max(100).optional(),
  periodSeconds: z
    .number()
    .int()
    .min(60)
    .max(3600)
    .refine((s) => s % 60 === 0, { message: "expected a multiple of 60 seconds" })
    .optional(),
  evaluationPeriods: z.number().int().min(1).max(24).optional(),
  datapointsToAlarm: z.number().int().min(1).max(24).optional(),
  minimumRequests: z.number().int().min(1).optional(),
  allFailingMinimum: z.number().int().min(1).optional(),
});
export type FailureRateOverride = z.output<typeof FailureRateOverride>;

export const FAILURE_RATE_DEFAULTS: FailureRate = FailureRate.parse({});

export const AlarmsConfig = z
  .strictObject({
    /** Where every alarm sends its ALARM and OK notifications. Default: a topic the kit creates. */
    topic: AlarmTopicConfig.default({ create: true, name: "alarms", emails: [] }),
    /**
     * `false` keeps every alarm and the topic but turns the alarms' actions off (`actions_enabled = false`):
     * states still show in CloudWatch and on the dashboard, nobody is notified. For sandboxes only.
     */
    paging: z.boolean().default(true),
    /** The failure-rate rule every rate alarm uses, unless `overrides` changes it for one alarm. */
    failureRate: FailureRate.default(FAILURE_RATE_DEFAULTS),
    overrides: z
      .strictObject({
        /** Failed Bedrock calls (not throttles) per Bedrock call made. */
        bedrockErrors: FailureRateOverride.optional(),
        /** Throttled Bedrock calls per Bedrock call made (the functions retry them within the turn's budget). */
        bedrockThrottles: FailureRateOverride.optional(),
        /** Synchronous turns (voice, chat streaming/standard) answered with an apology. */
        syncFailures: FailureRateOverride.optional(),
        /** Chat poll results FAILED or EXPIRED per turn result (READY, FAILED, EXPIRED). */
        pollFailures: FailureRateOverride.optional(),
        /** Chat turns whose worker could not be started. */
        workerInvokeErrors: FailureRateOverride.optional(),
        /** Chat turns the worker stored as FAILED. */
        answersFailed: FailureRateOverride.optional(),
        /** qconnect-session calls that did not set the channel's AI agent (failed, out of time, unusable event). */
        agentSelection: FailureRateOverride.optional(),
      })
      .default({})
      .describe("changes to `failureRate` for single alarms, by alarm kind; unset fields keep `failureRate`'s"),
    /** bedrock-worker Lambda errors (crashes, timeouts, outcomes it could not store) per period that raise its alarm. */
    workerErrors: z.number().int().min(1).default(3),
    /** DynamoDB errors storing turns (all bridge functions together) per period that make the period count as failing. */
    storeErrors: z.number().int().min(1).default(1),
    /** Lex runtime system errors, and for the bridge bot Lambda errors seen by Lex, per bot and period that make the period count as failing. */
    lexErrors: z.number().int().min(1).default(3),
  })
  .superRefine((alarms, ctx) => {
    const check = (rule: FailureRateOverride, path: (string | number)[]) => {
      const merged = { ...alarms.failureRate, ...definedOnly(rule) };
      if (merged.datapointsToAlarm > merged.evaluationPeriods) {
        ctx.addIssue({
          code: "custom",
          path: [...path, rule.datapointsToAlarm !== undefined ? "datapointsToAlarm" : "evaluationPeriods"],
          message: `datapointsToAlarm (${merged.datapointsToAlarm}) cannot exceed evaluationPeriods (${merged.evaluationPeriods})`,
        });
      }
    };
    check(alarms.failureRate, ["failureRate"]);
    for (const kind of RATE_ALARM_KINDS) {
      const override = alarms.overrides[kind];
      if (override) check(override, ["overrides", kind]);
    }
  });
export type AlarmsConfig = z.output<typeof AlarmsConfig>;

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The failure-rate rule of one alarm: `failureRate` with the alarm's overrides. */
export function failureRateFor(alarms: AlarmsConfig, kind: RateAlarmKind): FailureRate {
  return { ...alarms.failureRate, ...definedOnly(alarms.overrides[kind] ?? {}) };
}

/**
 * `bridge.alarms` before alarms became the top-level `alarms` section. Setting it stops synth with a
 * message naming the new fields; it is not translated, because the new section means more (a topic in
 * every environment, rates instead of counts) and a silent translation would hide that.
 */
export const LegacyBridgeAlarms = z
  .never({
    error: (issue) => {
      const given = issue.input as { createTopic?: unknown } | undefined;
      const keep =
        given && typeof given === "object" && given.createTopic === true
          ? '; the topic the bridge created keeps its name (and its confirmed subscriptions) with alarms.topic = {create: true, name: "bridge-alarms", emails: [...]}'
          : "";
      return (
        "moved to the top-level alarms section: createTopic/emails -> alarms.topic ({create: true, emails: [...]}, created by default), " +
        "workerErrorThreshold -> alarms.workerErrors, throttleThreshold -> alarms.overrides.bedrockThrottles.percent (now a percentage of Bedrock calls)" +
        keep
      );
    },
  })
  .optional()
  .describe(
    "removed: alarms are the top-level `alarms` section now (createTopic/emails -> alarms.topic, workerErrorThreshold -> alarms.workerErrors, throttleThreshold -> alarms.overrides.bedrockThrottles.percent); setting it stops synth with these field names",
  );
