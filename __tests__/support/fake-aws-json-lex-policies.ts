import { awsError, ok, type RecordedRequest, type Reply } from "./fake-aws-json-server";

/**
 * A small model of Lex V2 resource policies on bot aliases, answering the REST-JSON calls
 * DescribeResourcePolicy, CreateResourcePolicyStatement and DeleteResourcePolicyStatement the way the
 * Lex API reference describes them: every write bumps the revision, a stale expectedRevisionId is
 * rejected with PreconditionFailedException, deleting the last statement deletes the policy, and a
 * missing policy or statement is ResourceNotFoundException.
 */

export interface StoredStatement {
  Sid: string;
  Effect: string;
  Principal: { Service: string | string[] };
  Action: string | string[];
  Resource: string;
  Condition?: Record<string, Record<string, string | string[]>>;
}

interface StoredPolicy {
  revision: number;
  statements: StoredStatement[];
}

export class FakeLexPolicies {
  private readonly aliases = new Set<string>();
  private readonly policies = new Map<string, StoredPolicy>();
  /** Called before each write; lets a test simulate another writer changing the policy. */
  beforeWrite: (aliasArn: string) => void = () => undefined;

  /** Declares an existing bot alias (optionally with statements already in its policy). */
  addAlias(aliasArn: string, statements: StoredStatement[] = []): void {
    this.aliases.add(aliasArn);
    if (statements.length) this.policies.set(aliasArn, { revision: 1, statements: [...statements] });
  }

  statements(aliasArn: string): StoredStatement[] {
    return this.policies.get(aliasArn)?.statements ?? [];
  }

  revision(aliasArn: string): number | undefined {
    return this.policies.get(aliasArn)?.revision;
  }

  /** Another writer's change: bumps the revision without touching the statements. */
  touch(aliasArn: string): void {
    const policy = this.policies.get(aliasArn);
    if (policy) policy.revision += 1;
  }

  /** Handles a Lex model building request, or returns undefined when the path is not a policy call. */
  handle(request: RecordedRequest): Reply | undefined {
    const [root, aliasArn, sub, statementId] = request.segments;
    if (root !== "policy" || !aliasArn) return undefined;
    if (!this.aliases.has(aliasArn)) return awsError(404, "ResourceNotFoundException", `Could not find the resource ${aliasArn}`);
    if (request.method === "GET" && !sub) return this.describe(aliasArn);
    if (request.method === "POST" && sub === "statements" && !statementId) return this.create(aliasArn, request);
    if (request.method === "DELETE" && sub === "statements" && statementId) return this.remove(aliasArn, statementId, request);
    return awsError(400, "ValidationException", `unsupported ${request.method} ${request.rawPath}`);
  }

  private describe(aliasArn: string): Reply {
    const policy = this.policies.get(aliasArn);
    if (!policy) return awsError(404, "ResourceNotFoundException", `There is no resource policy for ${aliasArn}`);
    return ok({
      resourceArn: aliasArn,
      revisionId: String(policy.revision),
      policy: JSON.stringify({ Version: "2012-10-17", Statement: policy.statements }),
    });
  }

  private stale(policy: StoredPolicy | undefined, request: RecordedRequest): Reply | undefined {
    const expected = request.query.expectedRevisionId;
    if (expected !== undefined && (!policy || String(policy.revision) !== expected)) {
      return awsError(412, "PreconditionFailedException", `The revision ${expected} does not match the current revision`);
    }
    return undefined;
  }

  private create(aliasArn: string, request: RecordedRequest): Reply {
    this.beforeWrite(aliasArn);
    const policy = this.policies.get(aliasArn);
    const staleReply = this.stale(policy, request);
    if (staleReply) return staleReply;
    const body = request.body as {
      statementId: string;
      effect: string;
      principal: { service?: string; arn?: string }[];
      action: string[];
      condition?: Record<string, Record<string, string>>;
    };
    if (policy?.statements.some((s) => s.Sid === body.statementId)) {
      return awsError(409, "ConflictException", `A statement with the id ${body.statementId} already exists`);
    }
    // IAM documents show one value as a plain string, several as an array; mimic that.
    const one = (values: string[]) => (values.length === 1 ? (values[0] as string) : values);
    const statement: StoredStatement = {
      Sid: body.statementId,
      Effect: body.effect,
      Principal: { Service: one(body.principal.map((p) => p.service ?? "")) },
      Action: one(body.action),
      Resource: aliasArn,
      ...(body.condition ? { Condition: body.condition } : {}),
    };
    const next: StoredPolicy = policy ?? { revision: 0, statements: [] };
    next.statements.push(statement);
    next.revision += 1;
    this.policies.set(aliasArn, next);
    return ok({ resourceArn: aliasArn, revisionId: String(next.revision) });
  }

  private remove(aliasArn: string, statementId: string, request: RecordedRequest): Reply {
    this.beforeWrite(aliasArn);
    const policy = this.policies.get(aliasArn);
    const staleReply = this.stale(policy, request);
    if (staleReply) return staleReply;
    if (!policy || !policy.statements.some((s) => s.Sid === statementId)) {
      return awsError(404, "ResourceNotFoundException", `The statement ${statementId} does not exist`);
    }
    policy.statements = policy.statements.filter((s) => s.Sid !== statementId);
    policy.revision += 1;
    if (policy.statements.length === 0) this.policies.delete(aliasArn);
    return { status: 204 };
  }
}
