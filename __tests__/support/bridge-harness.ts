import { handler as pollerHandler } from "../../functions/answer-poller";
import { handler as workerHandler } from "../../functions/bedrock-worker";
import { resetAwsClients } from "../../functions/shared/aws-clients";
import { type BridgeSettings } from "../../functions/shared/bridge-settings";
import { type ConnectResult } from "../../functions/shared/connect-event";
import { setLogSink } from "../../functions/shared/log";
import { setMetricsSink } from "../../functions/shared/metrics";
import { type NewTurn, createTurn, newTurnId } from "../../functions/shared/turn-store";
import { installSettings, testSettings } from "./bridge-settings-fixture";
import { type LocalDynamo, startDynalite } from "./dynalite";
import { startDynaliteProcess } from "./dynalite-process";
import { contactId, lambdaContext, pollEvent } from "./bridge-events";
import { FakeBedrock } from "./fake-bedrock";
import { FakeLambda } from "./fake-lambda";

/**
 * Everything the bridge functions talk to, on loopback: dynalite, the fake Bedrock endpoint and the
 * fake Lambda endpoint (which runs the real worker handler for async invokes). The functions find them
 * through the same environment variables the stack and the SDK use.
 */

export const WORKER_NAME = "cck-test-bedrock-worker";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LogLine = Record<string, any>;

export interface Bridge {
  readonly dynamo: LocalDynamo;
  readonly bedrock: FakeBedrock;
  readonly lambda: FakeLambda;
  readonly logs: LogLine[];
  readonly metrics: LogLine[];
  /** Installs test settings with overrides; returns them. */
  useSettings(overrides?: Parameters<typeof testSettings>[0]): BridgeSettings;
  /** Clears recordings and scripts between tests. */
  reset(): void;
  stop(): Promise<void>;
}

function parse(line: string): LogLine {
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return { unparsable: line };
  }
}

export interface BridgeOptions {
  /**
   * Where dynalite runs: in the test's process (cheapest to start) or in a process of its own, for load
   * tests, so that the handlers' DynamoDB time budgets are not spent waiting for the thread they share
   * with it. @default "in-process"
   */
  readonly dynalite?: "in-process" | "own-process";
}

/** A turn table in a dynalite process of its own. */
async function ownProcessDynalite(tableName = "bridge-turns-test"): Promise<LocalDynamo> {
  const started = await startDynaliteProcess([tableName]);
  return { endpoint: started.endpoint, tableName, close: started.close };
}

export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  // The SDK warns once per process about Node 20 (Lambda runs Node 22); keep test output readable.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const dynamo = options.dynalite === "own-process" ? await ownProcessDynalite() : await startDynalite();
  const bedrock = await FakeBedrock.start();
  const lambda = await FakeLambda.start({ [WORKER_NAME]: workerHandler });
  Object.assign(process.env, {
    AWS_REGION: "ap-northeast-1",
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
    AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: bedrock.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    TABLE_NAME: dynamo.tableName,
    WORKER_FUNCTION_NAME: WORKER_NAME,
    ENVIRONMENT_NAME: "test",
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_BEARER_TOKEN_BEDROCK;
  resetAwsClients();
  const logs: LogLine[] = [];
  const metrics: LogLine[] = [];
  const previousLogSink = setLogSink((line) => logs.push(parse(line)));
  const previousMetricsSink = setMetricsSink((line) => metrics.push(parse(line)));
  installSettings(testSettings());
  return {
    dynamo,
    bedrock,
    lambda,
    logs,
    metrics,
    useSettings(overrides) {
      const settings = testSettings(overrides);
      installSettings(settings);
      return settings;
    },
    reset() {
      bedrock.reset();
      lambda.reset();
      logs.length = 0;
      metrics.length = 0;
      installSettings(testSettings());
    },
    async stop() {
      await lambda.close();
      resetAwsClients();
      await bedrock.close();
      await dynamo.close();
      setLogSink(previousLogSink);
      setMetricsSink(previousMetricsSink);
    },
  };
}

/** Calls the poller like the chat flow's Loop block does, until the status is not PENDING. */
export async function pollUntilSettled(contact: string, turnId: string, maxCalls = 20): Promise<ConnectResult[]> {
  const results: ConnectResult[] = [];
  // Like the chat flow: the count starts at 0 each turn and is carried from one result to the next call.
  let pollCount = "0";
  for (let call = 0; call < maxCalls; call += 1) {
    const result = await pollerHandler(pollEvent(contact, turnId, { pollCount }), lambdaContext(8_000));
    pollCount = result.pollCount;
    results.push(result);
    if (result.status !== "PENDING") break;
  }
  return results;
}

/** Sum of one metric over the captured EMF lines of one function. */
export function metricSum(lines: readonly LogLine[], name: string, functionName?: string): number {
  let total = 0;
  for (const line of lines) {
    if (functionName && line.Function !== functionName) continue;
    const value = line[name];
    if (typeof value === "number") total += value;
    else if (Array.isArray(value)) total += value.reduce((a: number, b: number) => a + b, 0);
  }
  return total;
}

/**
 * Runs one bridge for a test file: started before all tests, reset before each, stopped after all.
 * Returns a getter, since the bridge exists only once the hooks have run.
 */
export function useBridge(): () => Bridge {
  let bridge: Bridge | undefined;
  beforeAll(async () => {
    bridge = await startBridge();
  });
  afterAll(async () => {
    await bridge?.stop();
  });
  beforeEach(() => bridge?.reset());
  return () => {
    if (!bridge) throw new Error("the bridge is not started: call useBridge() at the top of the test file");
    return bridge;
  };
}

/** Stores a PENDING turn for a new contact (fields overridable) and returns it. */
export async function storePendingTurn(overrides: Partial<NewTurn> = {}, deadlineInMs = 5_000): Promise<NewTurn> {
  const now = Date.now();
  const turn: NewTurn = {
    contactId: contactId(),
    turnId: newTurnId(now),
    utterance: "question",
    locale: "ja_JP",
    channel: "chat",
    createdAt: now,
    deadlineAt: now + deadlineInMs,
    expiresAt: Math.floor(now / 1000) + 3600,
    ...overrides,
  };
  if (!(await createTurn(turn))) throw new Error(`turn ${turn.turnId} already exists`);
  return turn;
}
