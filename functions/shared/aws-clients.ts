import { BedrockAgentRuntimeClient } from "@aws-sdk/client-bedrock-agent-runtime";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ConnectClient } from "@aws-sdk/client-connect";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { LexModelsV2Client } from "@aws-sdk/client-lex-models-v2";
import { QConnectClient } from "@aws-sdk/client-qconnect";

/**
 * The AWS SDK clients of every handler: one per service, built on first use so that region, credentials
 * and endpoints come from the environment at that moment (Lambda sets AWS_REGION; tests set
 * AWS_ENDPOINT_URL_<SERVICE>, which SDK v3 honours), then reused across invocations to keep connections
 * warm. A bundle contains only the clients its handler calls (esbuild drops the others).
 *
 * Options, and why:
 * - connectionTimeout 2 s: fail fast on a dead endpoint; every caller has a deadline. Not on the Bedrock
 *   clients, which keep the SDK's own HTTP/2 handler settings (one stream per session): replacing them
 *   would replace those too.
 * - No request timeout in the client: each caller bounds a call with an abort signal from its own
 *   deadline (retryWithinDeadline gives every attempt one), so the same client serves a flow-facing
 *   call with a 2.5 s budget and a custom resource with minutes.
 * - SDK retries: off (maxAttempts 1) where the caller retries with retryWithinDeadline, which never
 *   sleeps or starts an attempt past its deadline: Bedrock, Connect, Lex model building, Q in Connect.
 *   DynamoDB keeps 3 attempts and Lambda 2 (bounded by the caller's abort signal): their calls are short
 *   and the turn store's conditional writes make a repeated write harmless.
 */

/** Fail fast on a dead endpoint: every caller has a deadline measured in seconds. */
export const CONNECTION_TIMEOUT_MS = 2_000;

const requestHandler = { connectionTimeout: CONNECTION_TIMEOUT_MS };

let dynamo: DynamoDBClient | undefined;
let bedrock: BedrockRuntimeClient | undefined;
let bedrockAgent: BedrockAgentRuntimeClient | undefined;
let lambda: LambdaClient | undefined;
let connect: ConnectClient | undefined;
let lexModels: LexModelsV2Client | undefined;
let qconnect: QConnectClient | undefined;

/** DynamoDB (the turn store): 3 attempts, each bounded by the caller's signal. */
export function dynamoClient(): DynamoDBClient {
  dynamo ??= new DynamoDBClient({ maxAttempts: 3, requestHandler });
  return dynamo;
}

/** Bedrock Runtime (Converse); bedrock-answer retries within the turn's deadline. */
export function bedrockRuntimeClient(): BedrockRuntimeClient {
  bedrock ??= new BedrockRuntimeClient({ maxAttempts: 1 });
  return bedrock;
}

/** Bedrock Agent Runtime (knowledge base Retrieve), retried like the runtime client. */
export function bedrockAgentRuntimeClient(): BedrockAgentRuntimeClient {
  bedrockAgent ??= new BedrockAgentRuntimeClient({ maxAttempts: 1 });
  return bedrockAgent;
}

/** Lambda (lex-fulfillment's async worker invoke): one SDK retry, the caller bounds the total time. */
export function lambdaClient(): LambdaClient {
  lambda ??= new LambdaClient({ maxAttempts: 2, requestHandler });
  return lambda;
}

/** Amazon Connect (custom resources); callers retry with retryWithinDeadline. */
export function connectClient(): ConnectClient {
  connect ??= new ConnectClient({ maxAttempts: 1, requestHandler });
  return connect;
}

/** Lex V2 model building (bot alias resource policies); callers retry with retryWithinDeadline. */
export function lexModelsClient(): LexModelsV2Client {
  lexModels ??= new LexModelsV2Client({ maxAttempts: 1, requestHandler });
  return lexModels;
}

/** Amazon Q in Connect (sessions, the assistant's default agent); callers retry with retryWithinDeadline. */
export function qconnectClient(): QConnectClient {
  qconnect ??= new QConnectClient({ maxAttempts: 1, requestHandler });
  return qconnect;
}

/** Closes and forgets all clients (tests switch endpoints and must not leave sockets open). */
export function resetAwsClients(): void {
  for (const client of [dynamo, bedrock, bedrockAgent, lambda, connect, lexModels, qconnect]) client?.destroy();
  dynamo = undefined;
  bedrock = undefined;
  bedrockAgent = undefined;
  lambda = undefined;
  connect = undefined;
  lexModels = undefined;
  qconnect = undefined;
}
