import { Construct } from "constructs";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AlarmsConfig } from "../../config/schema/alarms";
import { KitContext } from "../context";
import { insightsCountAlarm } from "../observability/metric-alarms";
import type { ILexBotAlias } from "./self-service-bot";

export interface LexBotAlarmsProps {
  readonly bot: ILexBotAlias;
  readonly config: AlarmsConfig;
  /** Whether the bot calls a Lambda code hook (the bridge bot): then Lex's view of its errors is alarmed too. */
  readonly codeHook: boolean;
}

/**
 * A Metrics Insights query summing one AWS/Lex metric over the bot's live alias. Lex V2 publishes its
 * runtime metrics per BotId, BotAliasId, LocaleId and Operation (plus InputMode for speech operations);
 * the query sums every locale, operation and input mode of the alias, which a plain metric alarm (one
 * exact dimension set) cannot.
 */
export function lexAliasQuery(metric: string, bot: ILexBotAlias): string {
  return `SELECT SUM(${metric}) FROM "AWS/Lex" WHERE BotId = '${bot.botId}' AND BotAliasId = '${bot.aliasId}'`;
}

/**
 * Lex's own errors on a bot's live alias: `system-errors` (RuntimeSystemErrors: Lex failed the request)
 * and, for the bridge bot, `lambda-errors` (RuntimeLambdaErrors: Lex could not invoke the code hook or it
 * failed or timed out from Lex's side). The second sees what the function's own metrics cannot: a code
 * hook Lex may no longer invoke (permission, deleted function) never runs, so it reports nothing.
 *
 * Counts, not rates: an alarm holds one Metrics Insights query, so it cannot divide by the request count.
 * Lex does not publish a fulfillment-timeout metric; lex-fulfillment's own timeout alarm covers that.
 */
export class LexBotAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: LexBotAlarmsProps) {
    super(scope, id);
    const context = KitContext.of(this);
    const { bot, config } = props;
    this.alarms = [
      insightsCountAlarm(this, "system-errors", {
        alarmName: context.name(`${bot.engine}-bot-lex-system-errors`),
        description: `Lex failed requests of the ${bot.engine} bot's live alias (RuntimeSystemErrors, every locale and operation)`,
        query: lexAliasQuery("RuntimeSystemErrors", bot),
        threshold: config.lexErrors,
        rule: config.failureRate,
      }),
    ];
    if (props.codeHook) {
      this.alarms.push(
        insightsCountAlarm(this, "lambda-errors", {
          alarmName: context.name(`${bot.engine}-bot-lex-lambda-errors`),
          description: `Lex could not get an answer from the ${bot.engine} bot's code hook (RuntimeLambdaErrors: not invocable, failed or timed out)`,
          query: lexAliasQuery("RuntimeLambdaErrors", bot),
          threshold: config.lexErrors,
          rule: config.failureRate,
        }),
      );
    }
  }
}
