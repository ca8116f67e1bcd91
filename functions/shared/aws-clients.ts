import { BedrockAgentRuntimeClient } from "@aws-sdk/client-bedrock-agent-runtime";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";

/**
 * AWS SDK clients, built on first use so that region, credentials and endpoints come from the environment
 * at that moment (Lambda sets AWS_REGION; tests set AWS_ENDPOINT_URL_<SERVICE>, which SDK v3 honours).
 * One client per container is reused across invocations to keep connections warm.
 */

let dynamo: DynamoDBClient | undefined;
let bedrock: BedrockRuntimeClient | undefined;
let bedrockAgent: BedrockAgentRuntimeClient | undefined;
let lambda: LambdaClient | undefined;

// Fail fast on a dead endpoint: every caller has a deadline measured in seconds.
const CONNECTION_TIMEOUT_MS = 2_000;

export function dynamoClient(): DynamoDBClient {
  dynamo ??= new DynamoDBClient({ maxAttempts: 3, requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS } });
  return dynamo;
}

/** Bedrock Runtime without SDK retries: bedrock-answer retries itself, bounded by the turn's deadline. */
export function bedrockRuntimeClient(): BedrockRuntimeClient {
  bedrock ??= new BedrockRuntimeClient({ maxAttempts: 1 });
  return bedrock;
}

/** Bedrock Agent Runtime (knowledge base Retrieve), retried like the runtime client. */
export function bedrockAgentRuntimeClient(): BedrockAgentRuntimeClient {
  bedrockAgent ??= new BedrockAgentRuntimeClient({ maxAttempts: 1 });
  return bedrockAgent;
}

/** Lambda client for the async worker invoke; one SDK retry, the caller bounds the total time. */
export function lambdaClient(): LambdaClient {
  lambda ??= new LambdaClient({ maxAttempts: 2, requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS } });
  return lambda;
}

/** Closes and forgets all clients (tests switch endpoints and must not leave sockets open). */
export function resetAwsClients(): void {
  for (const client of [dynamo, bedrock, bedrockAgent, lambda]) client?.destroy();
  dynamo = undefined;
  bedrock = undefined;
  bedrockAgent = undefined;
  lambda = undefined;
}
