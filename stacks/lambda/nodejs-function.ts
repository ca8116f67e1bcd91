import { AssetType, TerraformAsset, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { KitContext } from "../context";
import { type PolicyStatement, ServiceRole } from "../iam/service-role";
import { buildPackage, type FunctionPackage } from "./bundle";

/** What other constructs need of one of the kit's functions. */
export interface IKitFunction {
  readonly functionName: string;
  readonly functionArn: string;
  /** Grants more permissions to the function's own role. */
  addStatements(...statements: PolicyStatement[]): void;
}

export interface NodejsFunctionProps {
  /** Folder under `functions/` holding `index.ts`; also the suffix of the physical name. */
  readonly source: string;
  readonly description: string;
  /** Seconds (1-900). */
  readonly timeoutSeconds: number;
  /** @default 256 */
  readonly memoryMb?: number;
  /** Environment variables (values may be tokens). Keep settings in `files` instead: env space is 4 KB. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Extra files in the package, e.g. `settings.json` (part of the code hash). */
  readonly files?: Readonly<Record<string, string>>;
  /** Permissions beyond writing its own logs. */
  readonly statements?: readonly PolicyStatement[];
  /** @default - unreserved */
  readonly reservedConcurrency?: number;
}

/**
 * A Node.js 22 Lambda function on arm64, bundled from `functions/<source>` at synth time (with a source
 * map, enabled at run time), with its own least-privilege role, its own log group (retention and
 * optional KMS key from config) and JSON logs written by the handler.
 */
export class NodejsFunction extends Construct implements IKitFunction {
  readonly function: LambdaFunction;
  readonly role: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly functionName: string;
  readonly functionArn: string;
  /** The deployment package (zip path, hash and files). */
  readonly package: FunctionPackage;

  constructor(scope: Construct, id: string, props: NodejsFunctionProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.timeoutSeconds) && (props.timeoutSeconds < 1 || props.timeoutSeconds > 900)) {
      throw new Error(`lambda timeout must be between 1 and 900 seconds, but ${props.timeoutSeconds} was given for ${props.source}`);
    }
    const context = KitContext.of(this);
    const functionName = context.name(props.source);
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: context.env.logRetentionDays,
      kmsKeyId: context.env.logsKmsKeyArn,
    });
    this.role = new ServiceRole(this, "role", {
      roleName: functionName,
      description: `Execution role of ${functionName}`,
      servicePrincipal: "lambda.amazonaws.com",
      statements: [
        {
          sid: "WriteOwnLogs",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${this.logGroup.arn}:*`],
        },
        ...(props.statements ?? []),
      ],
    });
    this.package = buildPackage(props.source, props.files);
    const code = new TerraformAsset(this, "code", { path: this.package.zipPath, type: AssetType.FILE });
    this.function = new LambdaFunction(this, "function", {
      functionName,
      description: props.description,
      role: this.role.roleArn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: this.package.sha256,
      timeout: props.timeoutSeconds,
      memorySize: props.memoryMb ?? 256,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        // Source maps on: the package carries index.js.map, so stack traces name TypeScript files and lines.
        variables: { ENVIRONMENT_NAME: context.env.name, NODE_OPTIONS: "--enable-source-maps", ...props.environment },
      },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      dependsOn: [this.logGroup],
    });
    this.functionName = this.function.functionName;
    this.functionArn = this.function.arn;
  }

  addStatements(...statements: PolicyStatement[]): void {
    this.role.addStatements(...statements);
  }
}
