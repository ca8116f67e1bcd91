/**
 * The prices the scale and cost model uses: **list prices of us-east-1 (US East, N. Virginia)**, on-demand,
 * without free tiers, volume tiers or Savings Plans. ap-northeast-1 (Tokyo), where the shipped environments
 * run, is dearer for several of them (CloudWatch Logs ingestion is $0.76 per GB there against $0.50;
 * Lambda and DynamoDB Tokyo rates are higher too and not checked here): multiply by your Region's rates
 * before budgeting. Each entry names where the figure was read and when.
 */
export interface Price {
  /** What is billed. */
  readonly item: string;
  /** US dollars per `unit`. */
  readonly usd: number;
  readonly unit: string;
  /** The official page, and the copy the figure was read from when that was not the page itself. */
  readonly source: string;
  /** When the figure was read (YYYY-MM-DD), and from where. */
  readonly read: string;
}

export const PRICE_REGION = "us-east-1";

export const PRICES = {
  lambdaRequest: {
    item: "Lambda requests",
    usd: 0.2 / 1e6,
    unit: "request",
    source: "https://aws.amazon.com/lambda/pricing/ ($0.20 per 1M requests), as summarized in runtime-facts.md §4",
    read: "2026-12-01, /work/shared/reference/runtime-facts.md §4",
  },
  lambdaArmGbSecond: {
    item: "Lambda duration, arm64",
    usd: 0.0000133334,
    unit: "GB-second",
    source: "https://aws.amazon.com/lambda/pricing/ (first 7.5 billion GB-s a month; 1 ms billing), as summarized in runtime-facts.md §4",
    read: "2026-12-01, /work/shared/reference/runtime-facts.md §4",
  },
  dynamoReadUnit: {
    item: "DynamoDB on-demand read request unit",
    usd: 0.125 / 1e6,
    unit: "RRU (a strongly consistent read of up to 4 KB; eventually consistent: half)",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the November 2024 cut), as summarized in runtime-facts.md §5 (third-party figure)",
    read: "2026-12-01, /work/shared/reference/runtime-facts.md §5",
  },
  dynamoWriteUnit: {
    item: "DynamoDB on-demand write request unit",
    usd: 0.625 / 1e6,
    unit: "WRU (a write of up to 1 KB)",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the November 2024 cut), as summarized in runtime-facts.md §5 (third-party figure)",
    read: "2026-12-01, /work/shared/reference/runtime-facts.md §5",
  },
  sqsRequest: {
    item: "SQS standard queue requests",
    usd: 0.4 / 1e6,
    unit: "request (up to 64 KB)",
    source: "https://aws.amazon.com/sqs/pricing/, read in the copy https://cloudburn.io/blog/amazon-sqs-pricing (US East, March 2026)",
    read: "2026-12-01, stored copy of cloudburn.io",
  },
  logsIngestedGb: {
    item: "CloudWatch Logs ingestion, standard log class",
    usd: 0.5,
    unit: "GB ingested",
    source: "https://aws.amazon.com/cloudwatch/pricing/, read in the copy https://c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026); ap-northeast-1: $0.76 (https://awsi.click/en/articles/cloudwatch-logs-cost-structure-surprise/)",
    read: "2026-12-01, stored copies of c3x.dev and awsi.click",
  },
} as const satisfies Record<string, Price>;

export type Prices = Record<keyof typeof PRICES, Price>;

/**
 * Context only, not part of the infrastructure cost: a Claude 3.5 Sonnet turn of 1,500 input and 300
 * output tokens at $3 / $15 per million tokens (runtime-facts.md §7, from artificialanalysis.ai).
 */
export const MODEL_TURN_CONTEXT = {
  item: "Bedrock model tokens of one turn (Claude 3.5 Sonnet, 1,500 in + 300 out)",
  usd: (1_500 * 3 + 300 * 15) / 1e6,
  unit: "turn",
  source: "runtime-facts.md §7 ($3 / $15 per million input / output tokens, artificialanalysis.ai)",
  read: "2026-12-01, /work/shared/reference/runtime-facts.md §7",
} as const satisfies Price;
