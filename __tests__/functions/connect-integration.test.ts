import { handler } from "../../functions/connect-integration";
import { awsError, FakeAwsJsonServer, ok, signingService, type RecordedRequest, type Reply, useFakeAwsJsonServer } from "../support/fake-aws-json-server";
import { ACCOUNT, ASSISTANT_ID, INSTANCE_ARN, INSTANCE_ID, OTHER_ASSISTANT_ID, REGION, tf } from "../support/qconnect-events";
import { LogCapture } from "../support/qconnect-log-capture";

const server = new FakeAwsJsonServer();
const logs = new LogCapture();

const ASSISTANT_ARN = `arn:aws:wisdom:${REGION}:${ACCOUNT}:assistant/${ASSISTANT_ID}`;
const OTHER_ASSISTANT_ARN = `arn:aws:wisdom:${REGION}:${ACCOUNT}:assistant/${OTHER_ASSISTANT_ID}`;
const KB_ARN = `arn:aws:wisdom:${REGION}:${ACCOUNT}:knowledge-base/4b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d`;
const BASE = `/instance/${INSTANCE_ID}/integration-associations`;

interface Association {
  IntegrationAssociationId: string;
  IntegrationAssociationArn: string;
  InstanceId: string;
  IntegrationType: string;
  IntegrationArn: string;
  Tags?: Record<string, string>;
}

/** Connect's integration associations of one instance, as these three calls see them. */
class FakeIntegrations {
  readonly associations: Association[] = [];
  /** Page size the fake uses (the real service pages at MaxResults). */
  pageSize = 100;
  /** Whether the fake applies the integrationArn filter (an older service could ignore it). */
  filtersByArn = true;
  private next = 1;

  add(type: string, arn: string): Association {
    const id = `${String(this.next++).padStart(8, "0")}-0000-4000-8000-000000000000`;
    const association = {
      IntegrationAssociationId: id,
      IntegrationAssociationArn: `${INSTANCE_ARN}/integration-association/${id}`,
      InstanceId: INSTANCE_ID,
      IntegrationType: type,
      IntegrationArn: arn,
    };
    this.associations.push(association);
    return association;
  }

  handle(request: RecordedRequest): Reply | undefined {
    const [resource, instanceId, collection, id] = request.segments;
    if (resource !== "instance" || collection !== "integration-associations") return undefined;
    if (instanceId !== INSTANCE_ID) return awsError(404, "ResourceNotFoundException", `Instance ${instanceId} not found`);
    if (request.method === "GET" && !id) {
      const { integrationType, integrationArn, nextToken } = request.query;
      const matching = this.associations.filter(
        (a) => (!integrationType || a.IntegrationType === integrationType) && (!this.filtersByArn || !integrationArn || a.IntegrationArn === integrationArn),
      );
      const start = Number(nextToken ?? 0);
      const page = matching.slice(start, start + this.pageSize).map(({ Tags: _tags, ...summary }) => summary);
      const more = start + this.pageSize < matching.length;
      return ok({ IntegrationAssociationSummaryList: page, ...(more ? { NextToken: String(start + this.pageSize) } : {}) });
    }
    if (request.method === "PUT" && !id) {
      const body = request.body as { IntegrationType: string; IntegrationArn: string; Tags?: Record<string, string> };
      if (this.associations.some((a) => a.IntegrationType === body.IntegrationType && a.IntegrationArn === body.IntegrationArn)) {
        return awsError(409, "DuplicateResourceException", "Integration association already exists");
      }
      const association = this.add(body.IntegrationType, body.IntegrationArn);
      association.Tags = body.Tags;
      return ok({ IntegrationAssociationId: association.IntegrationAssociationId, IntegrationAssociationArn: association.IntegrationAssociationArn });
    }
    if (request.method === "DELETE" && id) {
      const index = this.associations.findIndex((a) => a.IntegrationAssociationId === id);
      if (index < 0) return awsError(404, "ResourceNotFoundException", `Integration association ${id} not found`);
      this.associations.splice(index, 1);
      return ok({});
    }
    return undefined;
  }
}

let connect: FakeIntegrations;

function input(action: "create" | "update" | "delete", fields: Record<string, unknown> = {}, prev: Record<string, unknown> | null = null) {
  return { instanceArn: INSTANCE_ARN, integrationType: "WISDOM_ASSISTANT", integrationArn: ASSISTANT_ARN, tags: { project: "contact-center-kit" }, tf: tf(action, prev), ...fields };
}

function calls(): string[] {
  return server.requests.map((r) => `${r.method} ${r.rawPath}`);
}

useFakeAwsJsonServer(server, logs, ["AWS_ENDPOINT_URL_CONNECT"], REGION);

beforeEach(() => {
  connect = new FakeIntegrations();
  server.respond((request) => connect.handle(request) ?? awsError(400, "UnknownOperationException", `${request.method} ${request.rawPath}`));
});

describe("connect-integration: create", () => {
  test("create looks for the association first, then creates it (PUT .../integration-associations, signed for connect) with the tags", async () => {
    const result = await handler(input("create"));

    const created = connect.associations[0];
    expect(result).toEqual({
      status: "OK",
      action: "create",
      instanceId: INSTANCE_ID,
      integrationType: "WISDOM_ASSISTANT",
      integrationArn: ASSISTANT_ARN,
      association: "created",
      integrationAssociationId: created.IntegrationAssociationId,
      integrationAssociationArn: created.IntegrationAssociationArn,
    });
    expect(calls()).toEqual([`GET ${BASE}`, `PUT ${BASE}`]);
    expect(server.requests[0].query).toEqual({ integrationType: "WISDOM_ASSISTANT", integrationArn: ASSISTANT_ARN, maxResults: "100" });
    expect(server.requests[1].body).toEqual({ IntegrationType: "WISDOM_ASSISTANT", IntegrationArn: ASSISTANT_ARN, Tags: { project: "contact-center-kit" } });
    expect(server.requests.map(signingService)).toEqual(["connect", "connect"]);
    expect(logs.at("info")).toEqual([expect.objectContaining({ service: "connect-integration", outcome: "OK", association: "created" })]);
  });

  test("the knowledge base type takes a knowledge-base ARN", async () => {
    const result = await handler(input("create", { integrationType: "WISDOM_KNOWLEDGE_BASE", integrationArn: KB_ARN, tags: undefined }));

    expect(result.association).toBe("created");
    expect(server.requests[1].body).toEqual({ IntegrationType: "WISDOM_KNOWLEDGE_BASE", IntegrationArn: KB_ARN });
  });

  test("a re-run finds the association and creates nothing (idempotent)", async () => {
    await handler(input("create"));
    server.requests.length = 0;

    const again = await handler(input("create"));

    expect(again.association).toBe("existing");
    expect(again.integrationAssociationId).toBe(connect.associations[0].IntegrationAssociationId);
    expect(calls()).toEqual([`GET ${BASE}`]);
    expect(connect.associations).toHaveLength(1);
  });

  test("an association of the same type and ARN made elsewhere is adopted, even on a later page and without the service's ARN filter", async () => {
    connect.pageSize = 1;
    connect.filtersByArn = false;
    connect.add("WISDOM_ASSISTANT", OTHER_ASSISTANT_ARN);
    const existing = connect.add("WISDOM_ASSISTANT", ASSISTANT_ARN);

    const result = await handler(input("create"));

    expect(result).toMatchObject({ association: "existing", integrationAssociationId: existing.IntegrationAssociationId });
    expect(calls()).toEqual([`GET ${BASE}`, `GET ${BASE}`]);
    expect(server.requests[1].query.nextToken).toBe("1");
  });

  test("an association that appears between the lookup and the create (DuplicateResourceException) is adopted", async () => {
    let listed = 0;
    server.respond((request) => {
      if (request.method === "GET" && listed++ === 0) return ok({ IntegrationAssociationSummaryList: [] });
      if (request.method === "PUT") {
        connect.add("WISDOM_ASSISTANT", ASSISTANT_ARN);
        return awsError(409, "DuplicateResourceException", "Integration association already exists");
      }
      return connect.handle(request)!;
    });

    const result = await handler(input("create"));

    expect(result.association).toBe("existing");
    expect(calls()).toEqual([`GET ${BASE}`, `PUT ${BASE}`, `GET ${BASE}`]);
    expect(logs.at("error")).toEqual([]);
  });
});

describe("connect-integration: update replaces", () => {
  test("a new assistant ARN: the previous association is deleted first, then the new one created", async () => {
    const old = connect.add("WISDOM_ASSISTANT", OTHER_ASSISTANT_ARN);

    const result = await handler(input("update", {}, input("create", { integrationArn: OTHER_ASSISTANT_ARN })));

    expect(result).toMatchObject({
      action: "update",
      association: "created",
      previous: { instanceId: INSTANCE_ID, integrationType: "WISDOM_ASSISTANT", integrationArn: OTHER_ASSISTANT_ARN, association: "deleted" },
    });
    expect(calls()).toEqual([`GET ${BASE}`, `DELETE ${BASE}/${old.IntegrationAssociationId}`, `GET ${BASE}`, `PUT ${BASE}`]);
    expect(connect.associations.map((a) => a.IntegrationArn)).toEqual([ASSISTANT_ARN]);
  });

  test("the previous association already gone counts as absent; the new one is still made", async () => {
    const result = await handler(input("update", {}, input("create", { integrationArn: OTHER_ASSISTANT_ARN })));

    expect(result.previous?.association).toBe("absent");
    expect(result.association).toBe("created");
  });

  test("an update that keeps the target (tags changed) only checks the association", async () => {
    connect.add("WISDOM_ASSISTANT", ASSISTANT_ARN);

    const result = await handler(input("update", { tags: { project: "x" } }, input("create")));

    expect(result.previous).toBeUndefined();
    expect(result.association).toBe("existing");
    expect(calls()).toEqual([`GET ${BASE}`]);
  });

  test("an unusable tf.prev_input skips the deletion with a warning", async () => {
    const result = await handler(input("update", {}, { instanceArn: "nope" }));

    expect(result.previous).toBeUndefined();
    expect(result.association).toBe("created");
    expect(logs.at("warn")[0]).toMatchObject({ detail: expect.stringContaining("tf.prev_input.instanceArn must be a Connect instance ARN") });
  });
});

describe("connect-integration: delete", () => {
  test("delete finds the association by type and ARN and deletes it", async () => {
    const association = connect.add("WISDOM_ASSISTANT", ASSISTANT_ARN);
    const kb = connect.add("WISDOM_KNOWLEDGE_BASE", KB_ARN);

    const result = await handler(input("delete"));

    expect(result).toEqual({
      status: "OK",
      action: "delete",
      instanceId: INSTANCE_ID,
      integrationType: "WISDOM_ASSISTANT",
      integrationArn: ASSISTANT_ARN,
      association: "deleted",
    });
    expect(calls()).toEqual([`GET ${BASE}`, `DELETE ${BASE}/${association.IntegrationAssociationId}`]);
    expect(connect.associations).toEqual([kb]);
  });

  test("delete when the association is gone succeeds as absent", async () => {
    const result = await handler(input("delete"));

    expect(result.association).toBe("absent");
    expect(calls()).toEqual([`GET ${BASE}`]);
    expect(logs.at("error")).toEqual([]);
  });

  test("delete when it disappears between the lookup and the delete (ResourceNotFoundException) succeeds as absent", async () => {
    const association = connect.add("WISDOM_ASSISTANT", ASSISTANT_ARN);
    server.respond((request) => (request.method === "DELETE" ? awsError(404, "ResourceNotFoundException", "not found") : connect.handle(request)!));

    const result = await handler(input("delete"));

    expect(result.association).toBe("absent");
    expect(calls()).toEqual([`GET ${BASE}`, `DELETE ${BASE}/${association.IntegrationAssociationId}`]);
  });

  test("delete when the instance is gone succeeds as absent", async () => {
    const otherInstance = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff";

    const result = await handler(input("delete", { instanceArn: INSTANCE_ARN.replace(INSTANCE_ID, otherInstance) }));

    expect(result).toMatchObject({ association: "absent", instanceId: otherInstance });
  });
});

describe("connect-integration: throttling and failures", () => {
  test("throttled calls are retried with backoff, then succeed", async () => {
    let throttles = 2;
    server.respond((request) => (throttles-- > 0 ? awsError(429, "ThrottlingException", "Rate exceeded") : connect.handle(request)!));

    const result = await handler(input("create"));

    expect(result.association).toBe("created");
    expect(calls()).toEqual([`GET ${BASE}`, `GET ${BASE}`, `GET ${BASE}`, `PUT ${BASE}`]);
    expect(logs.at("warn")).toEqual([
      expect.objectContaining({ kind: "throttled", attempt: 1, errorName: "ThrottlingException" }),
      expect.objectContaining({ kind: "throttled", attempt: 2, errorName: "ThrottlingException" }),
    ]);
  });

  test("throttling that does not stop fails the apply once the invocation's time is spent", async () => {
    server.respond((request) => (request.method === "PUT" ? awsError(429, "ThrottlingException", "Rate exceeded") : connect.handle(request)!));
    const started = Date.now();

    const outcome = handler(input("create"), { getRemainingTimeInMillis: () => 3_500 });

    await expect(outcome).rejects.toThrow(
      new RegExp(
        `^connect-integration \\(create, WISDOM_ASSISTANT ${ASSISTANT_ARN}\\): CreateIntegrationAssociation \\(WISDOM_ASSISTANT ${ASSISTANT_ARN}, instance ${INSTANCE_ID}\\) failed after \\d+ attempts \\(throttled, out of retries or time\\): ThrottlingException: Rate exceeded$`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(server.requests.filter((r) => r.method === "PUT").length).toBeGreaterThan(1);
    expect(logs.at("error")).toEqual([expect.objectContaining({ message: "integration association failed", outcome: "ERROR" })]);
  });

  test("a permanent failure (access denied) fails at once with the AWS error", async () => {
    server.respond((request) =>
      request.method === "PUT" ? awsError(403, "AccessDeniedException", "User is not authorized to perform connect:CreateIntegrationAssociation") : connect.handle(request)!,
    );

    await expect(handler(input("create"))).rejects.toThrow(
      `connect-integration (create, WISDOM_ASSISTANT ${ASSISTANT_ARN}): CreateIntegrationAssociation (WISDOM_ASSISTANT ${ASSISTANT_ARN}, instance ${INSTANCE_ID}) failed: AccessDeniedException: User is not authorized to perform connect:CreateIntegrationAssociation`,
    );
    expect(calls()).toEqual([`GET ${BASE}`, `PUT ${BASE}`]);
  });

  test("create on an instance that does not exist fails with the lookup's error", async () => {
    await expect(handler(input("create", { instanceArn: INSTANCE_ARN.replace(INSTANCE_ID, "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff") }))).rejects.toThrow(
      /ListIntegrationAssociations \(WISDOM_ASSISTANT .*\) failed: ResourceNotFoundException: Instance bbbbbbbb-cccc-4ddd-8eee-ffffffffffff not found$/,
    );
  });

  test("a failed deletion of the previous association stops the update before the new one is made", async () => {
    connect.add("WISDOM_ASSISTANT", OTHER_ASSISTANT_ARN);
    server.respond((request) => (request.method === "DELETE" ? awsError(400, "InvalidRequestException", "association has use cases") : connect.handle(request)!));

    await expect(handler(input("update", {}, input("create", { integrationArn: OTHER_ASSISTANT_ARN })))).rejects.toThrow(
      /DeleteIntegrationAssociation \(.*WISDOM_ASSISTANT .*\) failed: InvalidRequestException: association has use cases$/,
    );
    expect(server.requests.some((r) => r.method === "PUT")).toBe(false);
  });
});

describe("connect-integration: invalid input fails before any call, naming the field", () => {
  test.each([
    ["instanceArn (an id)", { instanceArn: INSTANCE_ID }, /invalid input: instanceArn must be a Connect instance ARN/],
    ["integrationType LEX_BOT", { integrationType: "LEX_BOT" }, /invalid input: integrationType must be one of WISDOM_ASSISTANT, WISDOM_KNOWLEDGE_BASE \(Lex bots are associated through Cloud Control\), got "LEX_BOT"/],
    ["integrationArn of the other type", { integrationArn: KB_ARN }, /invalid input: integrationArn must be a Q in Connect assistant ARN .* for WISDOM_ASSISTANT, got/],
    ["integrationArn in another region", { integrationArn: ASSISTANT_ARN.replace(REGION, "us-east-1") }, /invalid input: integrationArn is in aws\/us-east-1\/111122223333, but the instance is in aws\/ap-northeast-1\/111122223333/],
    ["tags", { tags: { "aws:reserved": "x" } }, /invalid input: tags: "aws:reserved" is not a valid tag key/],
    ["tf.action", { tf: { action: "replace", prev_input: null } }, /invalid input: tf.action must be create, update or delete, got "replace"/],
    ["tf", { tf: undefined }, /invalid input: input has no "tf" object/],
  ])("%s", async (_field, fields, message) => {
    await expect(handler(input("create", fields))).rejects.toThrow(message);
    expect(server.requests).toEqual([]);
    expect(logs.at("error")).toEqual([
      expect.objectContaining({ message: "invalid input", outcome: "ERROR", detail: expect.stringMatching(/^connect-integration: invalid input: /) }),
    ]);
  });

  test("a non-object input", async () => {
    await expect(handler(["create"])).rejects.toThrow("connect-integration: invalid input: input must be a JSON object");
  });
});
