import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

/**
 * A loopback endpoint for the AWS calls `terraform plan` makes for our stacks, speaking the real wire
 * protocols: STS GetCallerIdentity and CloudFormation DescribeType (query/XML), and Connect
 * DescribeInstance / DescribeInstanceAttribute (REST-JSON) for an existing instance. DescribeType serves
 * the schemas kept in schemas/cloudformation, so the real provider validates `desired_state` with them.
 */

export const FAKE_ACCOUNT_ID = "123456789012";
const SCHEMA_DIR = path.join(__dirname, "..", "..", "schemas", "cloudformation");

export interface RecordedCall {
  readonly service: string;
  readonly action: string;
  readonly detail?: string;
}

export interface FakeAwsPlanEndpoint {
  readonly url: string;
  readonly calls: RecordedCall[];
  /** Requests the endpoint did not understand (a test should expect none). */
  readonly unknown: string[];
  close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function queryResponse(res: http.ServerResponse, action: string, namespace: string, result: string): void {
  res.writeHead(200, { "content-type": "text/xml" });
  res.end(
    `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></${action}Response>`,
  );
}

function queryError(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "text/xml" });
  res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error></ErrorResponse>`);
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export interface FakeAwsPlanEndpointOptions {
  readonly region: string;
  /** The account the caller identity reports (an allowed account, when the config restricts them). */
  readonly accountId?: string;
}

export async function startFakeAwsPlanEndpoint(options: FakeAwsPlanEndpointOptions): Promise<FakeAwsPlanEndpoint> {
  const accountId = options.accountId ?? FAKE_ACCOUNT_ID;
  const calls: RecordedCall[] = [];
  const unknown: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const instance = /^\/instance\/([^/]+)(?:\/attribute\/([A-Z_]+))?$/.exec(url.pathname);
      if (req.method === "GET" && instance) {
        const [, instanceId, attribute] = instance;
        calls.push({ service: "connect", action: attribute ? "DescribeInstanceAttribute" : "DescribeInstance", detail: attribute });
        if (attribute) return json(res, 200, { Attribute: { AttributeType: attribute, Value: "true" } });
        return json(res, 200, {
          Instance: {
            Id: instanceId,
            Arn: `arn:aws:connect:${options.region}:${accountId}:instance/${instanceId}`,
            IdentityManagementType: "CONNECT_MANAGED",
            InstanceAlias: "existing-instance",
            InstanceStatus: "ACTIVE",
            InboundCallsEnabled: true,
            OutboundCallsEnabled: true,
            ServiceRole: `arn:aws:iam::${accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect`,
            CreatedTime: 1700000000,
          },
        });
      }
      const params = new URLSearchParams(body);
      const action = params.get("Action");
      if (req.method === "POST" && action === "GetCallerIdentity") {
        calls.push({ service: "sts", action });
        return queryResponse(
          res,
          action,
          "https://sts.amazonaws.com/doc/2011-06-15/",
          `<Arn>arn:aws:iam::${accountId}:user/plan-harness</Arn><UserId>AIDAPLANHARNESS</UserId><Account>${accountId}</Account>`,
        );
      }
      if (req.method === "POST" && action === "AssumeRole") {
        const roleArn = params.get("RoleArn") ?? "";
        calls.push({ service: "sts", action, detail: roleArn });
        const expires = new Date(Date.now() + 3600_000).toISOString();
        return queryResponse(
          res,
          action,
          "https://sts.amazonaws.com/doc/2011-06-15/",
          `<Credentials><AccessKeyId>ASIAPLANHARNESS</AccessKeyId><SecretAccessKey>plan-harness-secret</SecretAccessKey>` +
            `<SessionToken>plan-harness-token</SessionToken><Expiration>${expires}</Expiration></Credentials>` +
            `<AssumedRoleUser><AssumedRoleId>AROAPLANHARNESS:${xmlEscape(params.get("RoleSessionName") ?? "")}</AssumedRoleId>` +
            `<Arn>${xmlEscape(roleArn)}</Arn></AssumedRoleUser>`,
        );
      }
      if (req.method === "POST" && action === "DescribeType") {
        const typeName = params.get("TypeName") ?? "";
        calls.push({ service: "cloudformation", action, detail: typeName });
        const file = path.join(SCHEMA_DIR, `${typeName.replace(/::/g, "_")}.json`);
        if (!/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/.test(typeName) || !fs.existsSync(file)) {
          return queryError(res, 404, "TypeNotFoundException", `The type '${typeName}' cannot be found.`);
        }
        const schema = fs.readFileSync(file, "utf8");
        return queryResponse(
          res,
          action,
          "http://cloudformation.amazonaws.com/doc/2010-05-15/",
          `<Arn>arn:aws:cloudformation:${options.region}::type/resource/${typeName.replace(/::/g, "-")}</Arn>` +
            `<Type>RESOURCE</Type><TypeName>${typeName}</TypeName><Schema>${xmlEscape(schema)}</Schema>` +
            `<ProvisioningType>FULLY_MUTABLE</ProvisioningType><DeprecatedStatus>LIVE</DeprecatedStatus><Visibility>PUBLIC</Visibility>`,
        );
      }
      unknown.push(`${req.method} ${req.url} ${body.slice(0, 200)}`);
      return json(res, 400, { __type: "UnknownOperationException", message: "the plan harness does not serve this call" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    unknown,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
