/**
 * Counts the DynamoDB requests dynalite serves: each is recorded with its operation, the item key it
 * names (the partition key is the contact id in the turn table) and when it arrived. Counting here does
 * not depend on what the handlers log. Plug `observe` into startDynalite.
 */
import { performance } from "node:perf_hooks";

export interface DynamoRequest {
  /** GetItem, PutItem, UpdateItem, Query, ... */
  readonly operation: string;
  readonly read: boolean;
  /** The partition key value the request names (Key, Item or the key condition), when it names one. */
  readonly partitionKey?: string;
  /** The sort key value of a single-item request. */
  readonly sortKey?: string;
  /** Real time (performance.now) when the request arrived. */
  readonly realMs: number;
}

const READS = new Set(["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"]);

type AttributeMap = Record<string, Record<string, unknown> | undefined>;

function stringValue(value: Record<string, unknown> | undefined): string | undefined {
  return typeof value?.S === "string" ? value.S : typeof value?.N === "string" ? value.N : undefined;
}

export class DynamoCounter {
  readonly requests: DynamoRequest[] = [];

  /** @param key the table's key attribute names */
  constructor(private readonly key: { readonly hash: string; readonly range?: string }) {}

  /** Requests naming one partition key (a contact). */
  forPartition(value: string): DynamoRequest[] {
    return this.requests.filter((request) => request.partitionKey === value);
  }

  /** Records one request (X-Amz-Target header and body). */
  readonly observe = (target: string, body: Buffer): void => {
    const realMs = performance.now();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      // not JSON: counted without a key
    }
    const operation = target.split(".").pop() || "Unknown";
    const key = (parsed.Key ?? parsed.Item) as AttributeMap | undefined;
    let partitionKey = stringValue(key?.[this.key.hash]);
    const sortKey = this.key.range ? stringValue(key?.[this.key.range]) : undefined;
    if (partitionKey === undefined && typeof parsed.KeyConditionExpression === "string") {
      const placeholder = new RegExp(`(?:^|\\W)${this.key.hash}\\s*=\\s*(:\\w+)`).exec(parsed.KeyConditionExpression)?.[1];
      const values = parsed.ExpressionAttributeValues as AttributeMap | undefined;
      if (placeholder) partitionKey = stringValue(values?.[placeholder]);
    }
    this.requests.push({
      operation,
      read: READS.has(operation),
      ...(partitionKey !== undefined ? { partitionKey } : {}),
      ...(sortKey !== undefined ? { sortKey } : {}),
      realMs,
    });
  };
}
