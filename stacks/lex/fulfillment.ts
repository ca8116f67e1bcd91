import { ConfigError } from "../../config/load";
import type { Engine, Locale } from "../../config/schema/common";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { FulfillmentSettings } from "../../config/schema/lex";
import type { LexDialogActionType, LexFulfillmentCodeHook, LexMessageGroup, LexResponseSpecification } from "../cloud-control/types";
import { definedOnly } from "../objects";
import { defaultFulfillment } from "./fulfillment-defaults";

/** How long Lex waits for a fulfillment code hook when progress updates are off. */
export const LEX_DEFAULT_FULFILLMENT_TIMEOUT_SECONDS = 30;

/** Fulfillment settings of one engine and locale: the kit's defaults with the environment's overrides. */
export interface ResolvedFulfillment extends FulfillmentSettings {
  readonly updatesActive: boolean;
  /** The time Lex actually waits: the configured timeout with updates on, 30 s with them off. */
  readonly effectiveTimeoutSeconds: number;
}

/**
 * Merges the environment's overrides (per engine and locale; each given part replaces the default part)
 * over the kit's defaults, validating the result with the same rules as the config.
 */
export function resolveFulfillment(env: EnvironmentConfig, engine: Engine, locale: Locale): ResolvedFulfillment {
  const override = env.lex.fulfillment[engine][locale] ?? {};
  const merged = FulfillmentSettings.safeParse({ ...defaultFulfillment(engine, locale), ...definedOnly(override) });
  if (!merged.success) {
    const issue = merged.error.issues[0];
    throw new ConfigError(`environment "${env.name}"`, [
      `lex.fulfillment.${engine}.${locale}.${issue.path.join(".")}: ${issue.message} (after merging the override over the kit's defaults)`,
    ]);
  }
  const updatesActive = merged.data.updatesActive ?? false;
  return {
    ...merged.data,
    updatesActive,
    effectiveTimeoutSeconds: updatesActive ? (merged.data.timeoutSeconds ?? LEX_DEFAULT_FULFILLMENT_TIMEOUT_SECONDS) : LEX_DEFAULT_FULFILLMENT_TIMEOUT_SECONDS,
  };
}

/** The shortest effective fulfillment timeout of an engine across the environment's locales. */
export function shortestFulfillmentTimeout(env: EnvironmentConfig, engine: Engine): number {
  return Math.min(...env.locales.map((locale) => resolveFulfillment(env, engine, locale).effectiveTimeoutSeconds));
}

const groups = (messages: readonly string[]): LexMessageGroup[] => messages.map((Value) => ({ Message: { PlainTextMessage: { Value } } }));

function response(r: { messages: readonly string[]; allowInterrupt: boolean } | undefined): LexResponseSpecification | undefined {
  return r ? { MessageGroupsList: groups(r.messages), AllowInterrupt: r.allowInterrupt } : undefined;
}

/**
 * The CloudFormation `FulfillmentCodeHook` for resolved settings. Note the schema's naming: start and
 * update responses take `MessageGroups`, post-fulfillment responses take `MessageGroupsList`.
 */
export function toFulfillmentCodeHook(settings: ResolvedFulfillment): LexFulfillmentCodeHook {
  const step = (r: { nextStep: string } | undefined) => (r ? { DialogAction: { Type: r.nextStep as LexDialogActionType } } : undefined);
  return {
    Enabled: true,
    IsActive: true,
    FulfillmentUpdatesSpecification: settings.updatesActive
      ? {
          Active: true,
          TimeoutInSeconds: settings.effectiveTimeoutSeconds,
          StartResponse: settings.start
            ? { DelayInSeconds: settings.start.delaySeconds, MessageGroups: groups(settings.start.messages), AllowInterrupt: settings.start.allowInterrupt }
            : undefined,
          UpdateResponse: settings.update
            ? { FrequencyInSeconds: settings.update.frequencySeconds, MessageGroups: groups(settings.update.messages), AllowInterrupt: settings.update.allowInterrupt }
            : undefined,
        }
      : { Active: false },
    PostFulfillmentStatusSpecification: {
      SuccessResponse: response(settings.success),
      SuccessNextStep: step(settings.success),
      FailureResponse: response(settings.failure),
      FailureNextStep: step(settings.failure),
      TimeoutResponse: response(settings.timeout),
      TimeoutNextStep: step(settings.timeout),
    },
  };
}
