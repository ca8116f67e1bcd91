import * as fs from "node:fs";
import { TerraformStack, Testing } from "cdktf";
import { CloudControlResource, isCloudControlResource } from "../../stacks/cloud-control/cloud-control-resource";
import { CLOUD_CONTROL_TYPES, type CloudControlTypeName, TAGGING } from "../../stacks/cloud-control/types";
import { KitContext } from "../../stacks/context";
import { loadSchema, propertyErrors, SCHEMA_DIR, schemaErrors } from "../support/cfn-schema-validator";
import { defaultEnvironment, defaultEnvironments, synthEnvironment } from "../support/synth";
import { CLOUD_CONTROL_SAMPLES, sampledDesiredState } from "../support/token-samples";

describe("CloudFormation schemas kept as contract data", () => {
  test("every type the kit manages has a schema file, and every schema file is a type the kit manages", () => {
    const files = fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".json")).sort();
    expect(files).toEqual(CLOUD_CONTROL_TYPES.map((t) => `${t.replace(/::/g, "_")}.json`).sort());
    for (const typeName of CLOUD_CONTROL_TYPES) expect(loadSchema(typeName).typeName).toBe(typeName);
  });

  test("schema copies carry no description texts (stripped on import)", () => {
    const hasDescription = (v: unknown, underProperties = false): boolean =>
      Array.isArray(v)
        ? v.some((x) => hasDescription(x))
        : !!v &&
          typeof v === "object" &&
          Object.entries(v).some(
            ([k, c]) => (k === "description" && !underProperties && typeof c === "string") || hasDescription(c, k === "properties" || k === "definitions"),
          );
    for (const typeName of CLOUD_CONTROL_TYPES) expect(hasDescription(loadSchema(typeName))).toBe(false);
  });

  test.each(CLOUD_CONTROL_TYPES.map((t) => [t]))("the tagging table matches the %s schema", (typeName) => {
    const tagging = loadSchema(typeName).tagging;
    const expected = TAGGING[typeName as CloudControlTypeName];
    if (!tagging?.taggable) {
      expect(expected).toBeUndefined();
      return;
    }
    expect(expected).toBeDefined();
    expect(`/properties/${expected?.property}`).toBe(tagging.tagProperty);
    expect(expected?.updatable).toBe(tagging.tagUpdatable === true);
    const tagSchema = loadSchema(typeName).properties[expected!.property];
    const shape = tagSchema.type === "array" || tagSchema.items ? "list" : "map";
    expect(expected?.shape).toBe(shape);
  });

  test.each(
    CLOUD_CONTROL_TYPES.flatMap((t) => Object.entries(CLOUD_CONTROL_SAMPLES[t]).map(([attr, value]) => [t, attr, value])),
  )("the sample for %s.%s matches the schema's own definition of that attribute", (typeName, attribute, value) => {
    const schema = loadSchema(typeName);
    expect(schema.readOnlyProperties).toContain(`/properties/${attribute}`);
    const typed = schema.properties[attribute]?.type === "number" ? Number(value) : value;
    expect(propertyErrors(typeName as CloudControlTypeName, attribute, typed)).toEqual([]);
  });
});

describe("every desired state the stacks produce is valid for its CloudFormation schema", () => {
  const resources = defaultEnvironments().flatMap((env) => {
    const { stack } = synthEnvironment(env);
    return stack.node.findAll().filter(isCloudControlResource).map((r) => [`${env.name} ${r.node.path}`, r] as const);
  });

  test.each(resources.length ? resources : [["(no Cloud Control resources yet)", undefined] as const])("%s", (_label, resource) => {
    if (!resource) return;
    expect(schemaErrors(resource.typeName, sampledDesiredState(resource))).toEqual([]);
  });
});

describe("the offline schema check can fail", () => {
  function stackWith(build: (stack: TerraformStack) => CloudControlResource<CloudControlTypeName>) {
    const stack = new TerraformStack(Testing.app(), "contract-negative");
    KitContext.attach(stack, defaultEnvironment("dev"));
    return build(stack);
  }

  test("a wrong enum value, a missing required property and an unknown property are all reported", () => {
    const resource = stackWith(
      (stack) =>
        new CloudControlResource(stack, "bad", {
          typeName: "AWS::Wisdom::AIPromptVersion",
          desiredState: { AssistantId: "not-a-uuid", Bogus: true } as unknown as { AssistantId: string; AIPromptId: string },
        }),
    );
    const errors = schemaErrors(resource.typeName, sampledDesiredState(resource));
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/AssistantId must match pattern/),
        expect.stringMatching(/must have required property 'AIPromptId'/),
        expect.stringMatching(/must NOT have additional properties .*"Bogus"/),
      ]),
    );
  });

  test("a reference to another resource is replaced by a sample that satisfies the pattern", () => {
    const version = stackWith((stack) => {
      const assistant = new CloudControlResource(stack, "assistant", { typeName: "AWS::Wisdom::Assistant", desiredState: { Name: "a", Type: "AGENT" } });
      const prompt = new CloudControlResource(stack, "prompt", {
        typeName: "AWS::Wisdom::AIPrompt",
        desiredState: {
          AssistantId: assistant.getAttribute("AssistantId"),
          Name: "p",
          Type: "SELF_SERVICE_ANSWER_GENERATION",
          ApiFormat: "TEXT_COMPLETIONS",
          ModelId: "apac.amazon.nova-lite-v1:0",
          TemplateType: "TEXT",
          TemplateConfiguration: { TextFullAIPromptEditTemplateConfiguration: { Text: "prompt: x" } },
        },
      });
      return new CloudControlResource(stack, "version", {
        typeName: "AWS::Wisdom::AIPromptVersion",
        desiredState: { AssistantId: assistant.getAttribute("AssistantId"), AIPromptId: prompt.getAttribute("AIPromptId") },
      });
    });
    expect(sampledDesiredState(version)).toEqual({ AssistantId: CLOUD_CONTROL_SAMPLES["AWS::Wisdom::Assistant"].AssistantId, AIPromptId: CLOUD_CONTROL_SAMPLES["AWS::Wisdom::AIPrompt"].AIPromptId });
    expect(schemaErrors(version.typeName, sampledDesiredState(version))).toEqual([]);
  });
});
