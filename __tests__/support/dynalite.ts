import { type IncomingMessage } from "node:http";
import { type AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * DynamoDB for tests: dynalite (a DynamoDB wire-protocol server) on a random loopback port, with the
 * bridge's table (pk/sk strings) created the way the stack creates it.
 */

interface DynaliteServer {
  listen(port: number, host: string, callback: () => void): void;
  address(): AddressInfo;
  close(callback: () => void): void;
  prependListener(event: "request", listener: (request: IncomingMessage) => void): void;
}

/** Sees every request dynalite serves: the X-Amz-Target operation (e.g. DynamoDB_20120810.GetItem) and the JSON body. */
export type DynamoRequestObserver = (target: string, body: Buffer) => void;

// dynalite ships no types; its factory returns an http.Server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: Record<string, unknown>) => DynaliteServer;

export interface LocalDynamo {
  readonly endpoint: string;
  readonly tableName: string;
  close(): Promise<void>;
}

export async function createTurnsTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
      }),
    );
  } finally {
    client.destroy();
  }
}

export async function startDynalite(tableName = "bridge-turns-test", observe?: DynamoRequestObserver): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  if (observe) {
    // Runs before dynalite's own listener; both read the same body chunks.
    server.prependListener("request", (request) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => observe(String(request.headers["x-amz-target"] ?? ""), Buffer.concat(chunks)));
    });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  await createTurnsTable(endpoint, tableName);
  return {
    endpoint,
    tableName,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
