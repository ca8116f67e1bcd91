import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { BridgeConfig } from "../../config/schema/bridge";
import { KitContext } from "../context";
import type { PolicyStatement } from "../iam/service-role";

/** DynamoDB actions a function may be granted on the turn table. */
export type TurnTableAction = "dynamodb:GetItem" | "dynamodb:PutItem" | "dynamodb:UpdateItem" | "dynamodb:Query";

export interface TurnTableProps {
  readonly config: BridgeConfig["table"];
}

/**
 * The bridge's conversation turns: partition key `pk` (the Connect contact id), sort key `sk` (a
 * time-sortable turn id), TTL on `expiresAt`. On demand, encrypted at rest (the AWS managed key or the
 * configured customer key), point-in-time recovery and deletion protection from config.
 */
export class TurnTable extends Construct {
  readonly table: DynamodbTable;
  readonly tableName: string;
  readonly tableArn: string;
  private readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: TurnTableProps) {
    super(scope, id);
    const context = KitContext.of(this);
    this.kmsKeyArn = props.config.kmsKeyArn;
    this.table = new DynamodbTable(this, "table", {
      name: context.name("bridge-turns"),
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      attribute: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      ttl: { attributeName: "expiresAt", enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.config.kmsKeyArn },
      pointInTimeRecovery: { enabled: props.config.pointInTimeRecovery },
      deletionProtectionEnabled: props.config.deletionProtection,
    });
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
  }

  /** Statements granting `actions` on this table only (and use of its customer key, if any). */
  grant(sid: string, actions: readonly TurnTableAction[]): PolicyStatement[] {
    const statements: PolicyStatement[] = [{ sid, actions, resources: [this.tableArn] }];
    if (this.kmsKeyArn) {
      const keyActions = actions.some((a) => a !== "dynamodb:GetItem" && a !== "dynamodb:Query")
        ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
        : ["kms:Decrypt", "kms:DescribeKey"];
      statements.push({
        sid: `${sid}Key`,
        actions: keyActions,
        resources: [this.kmsKeyArn],
        conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [`dynamodb.${KitContext.of(this).region}.amazonaws.com`] }],
      });
    }
    return statements;
  }
}
