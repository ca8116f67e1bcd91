import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseEnvironment } from "../../config/load";
import {
  catalogueWith,
  MODELS,
  parseModelId,
  Q_IN_CONNECT_PUBLISHED,
  Q_IN_CONNECT_SOURCES,
  type QInConnectEvidence,
  unlistedQInConnectModelsOf,
} from "../../config/models";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { synthWarnings } from "../../stacks/synth-warnings";
import { defaultEnvironment, type SynthesizedStack, synthEnvironment } from "../support/synth";
import { problemsFrom } from "../support/config-fixtures";

const SONNET_4 = "apac.anthropic.claude-sonnet-4-20250514-v1:0";
const API_REFERENCE_URL = Q_IN_CONNECT_SOURCES.apiReference.url;
const ADMIN_GUIDE_URL = Q_IN_CONNECT_SOURCES.adminGuide.url;

function withModels(name: string, models: Record<string, unknown>, changes: Record<string, unknown> = {}): EnvironmentConfig {
  const env = defaultEnvironment(name);
  return parseEnvironment({ ...env, ...changes, models: { ...env.models, ...models } }, `${name} (test)`);
}


describe("the catalogue's Q in Connect marks name their sources", () => {
  test("every source has a document, a URL and the date it was read", () => {
    for (const [id, source] of Object.entries(Q_IN_CONNECT_SOURCES)) {
      expect({ id, document: source.document.length > 10, url: /^(https:\/\/|shared\/reference\/)/.test(source.url), read: /^\d{4}-\d{2}(-\d{2})?$/.test(source.read) }).toEqual({
        id,
        document: true,
        url: true,
        read: true,
      });
    }
  });

  test("every prefix the catalogue accepts for Q in Connect is listed by at least one source", () => {
    for (const [baseId, info] of Object.entries(MODELS)) {
      const evidence: readonly QInConnectEvidence[] = info.qInConnectSources;
      const listed = new Set(evidence.flatMap((e) => e.lists));
      expect({ baseId, unsourced: info.qInConnect.filter((prefix) => !listed.has(prefix)) }).toEqual({ baseId, unsourced: [] });
    }
  });

  test("the published list names only catalogue models, and lacks exactly these accepted ids (where a synth warning appears)", () => {
    for (const id of Q_IN_CONNECT_PUBLISHED.ids) expect(Object.keys(MODELS)).toContain(parseModelId(id).baseId);
    const accepted = Object.entries(MODELS).flatMap(([baseId, info]) => info.qInConnect.map((p) => (p === "in-region" ? baseId : `${p}.${baseId}`)));
    expect(accepted.filter((id) => !(Q_IN_CONNECT_PUBLISHED.ids as readonly string[]).includes(id)).sort()).toEqual([
      "apac.anthropic.claude-haiku-4-5-20251001-v1:0",
      "apac.anthropic.claude-sonnet-4-20250514-v1:0",
      "apac.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
      "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      "us.anthropic.claude-sonnet-4-20250514-v1:0",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    ]);
  });
});

describe("a Q in Connect model missing from the published list", () => {
  const outdirs = { dev: "", stg: "" };
  let dev: SynthesizedStack;
  beforeAll(() => {
    for (const name of ["dev", "stg"] as const) outdirs[name] = fs.mkdtempSync(path.join(os.tmpdir(), `cc-qic-${name}-`));
    dev = synthEnvironment(defaultEnvironment("dev"), { outdir: outdirs.dev });
    synthEnvironment(defaultEnvironment("stg"), { outdir: outdirs.stg });
  }, 180_000);

  test("listed models pass silently: stg (Nova Pro, Claude 3.5 Sonnet) and an in-region Claude 3 Haiku; fail mode accepts them", () => {
    expect(unlistedQInConnectModelsOf(defaultEnvironment("stg"))).toEqual([]);
    const haiku = "anthropic.claude-3-haiku-20240307-v1:0";
    const inRegion = withModels("dev", {}, { qInConnect: { ...defaultEnvironment("dev").qInConnect!, agents: { chat: { preProcessing: haiku, answerGeneration: haiku }, voice: { preProcessing: haiku, answerGeneration: haiku } } } });
    expect(unlistedQInConnectModelsOf(inRegion)).toEqual([]);
    expect(problemsFrom(() => withModels("stg", { qInConnectUnlisted: "fail" }))).toEqual([]);
    expect(synthWarnings(outdirs.stg)).toEqual([]);
  });

  test("warns by default, naming the model, the fields, the region and the sources (dev's voice pre-processing model)", () => {
    const env = defaultEnvironment("dev");
    expect(env.models.qInConnectUnlisted).toBe("warn");
    const [unlisted, ...others] = unlistedQInConnectModelsOf(env);
    expect(others).toEqual([]);
    expect(unlisted).toMatchObject({ id: SONNET_4, region: "ap-northeast-1", fields: ["qInConnect.agents.voice.preProcessing"] });
    expect(unlisted.warning).toBe(
      `Amazon Q in Connect model "${SONNET_4}" (qInConnect.agents.voice.preProcessing) is not in the published list for ap-northeast-1: ` +
        `Amazon Q in Connect API reference, AIPromptData modelId, "The following model Ids are supported" (${API_REFERENCE_URL}, read 2026-12-01). ` +
        `The catalogue accepts it from: Amazon Connect Administrator Guide, "Create AI prompts", supported models for system/custom prompts per Region ` +
        `(${ADMIN_GUIDE_URL}, read 2026-11; Regions ap-northeast-1, ap-southeast-1, ap-southeast-2, ap-northeast-2). ` +
        `Confirm it with the qconnect ListModels API in ap-northeast-1 before relying on it; models.qInConnectUnlisted: "fail" refuses unlisted models.`,
    );
  });

  test("one warning per model with every field using it; bridge models are not Q in Connect models (prod)", () => {
    const unlisted = unlistedQInConnectModelsOf(defaultEnvironment("prod"));
    expect(unlisted.map((u) => [u.id, u.fields])).toEqual([[SONNET_4, ["qInConnect.agents.voice.preProcessing", "qInConnect.agents.voice.answerGeneration"]]]);
    // prod's bridge.models.chat is the same id, on the Bedrock bridge, which calls Bedrock directly.
    expect(defaultEnvironment("prod").bridge?.models.chat).toBe(SONNET_4);
  });

  test("the warning is a cdktf annotation on the stack, so it reaches the manifest the cdktf CLI prints (and main.ts prints)", () => {
    const [unlisted] = unlistedQInConnectModelsOf(defaultEnvironment("dev"));
    expect(dev.stack.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data)).toEqual([unlisted.warning]);
    expect(synthWarnings(outdirs.dev)).toEqual([{ stack: "contact-center-dev", constructPath: "contact-center-dev", message: unlisted.warning }]);
  });

  test('models.qInConnectUnlisted: "fail" refuses it with a configuration error on each field, naming the listed alternatives', () => {
    const problems = problemsFrom(() => withModels("prod", { qInConnectUnlisted: "fail" }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(
      `qInConnect.agents.voice.preProcessing: model "${SONNET_4}" is not in the published list of Amazon Q in Connect custom-prompt models for ap-northeast-1 ` +
        `(Amazon Q in Connect API reference, AIPromptData modelId, "The following model Ids are supported" (${API_REFERENCE_URL}, read 2026-12-01)) and models.qInConnectUnlisted is "fail"; ` +
        `listed ids callable there: anthropic.claude-3-haiku-20240307-v1:0, apac.amazon.nova-lite-v1:0, apac.amazon.nova-micro-v1:0, apac.amazon.nova-pro-v1:0, apac.anthropic.claude-3-5-sonnet-20241022-v2:0, apac.anthropic.claude-3-haiku-20240307-v1:0 ` +
        `(or set models.qInConnectUnlisted: "warn") (given: "${SONNET_4}")`,
    );
    expect(problems[1]).toMatch(/^qInConnect.agents.voice.answerGeneration: model "apac.anthropic.claude-sonnet-4-20250514-v1:0" is not in the published list/);
    expect(problemsFrom(() => withModels("dev", { qInConnectUnlisted: "never" }))).toEqual([
      'models.qInConnectUnlisted: Invalid option: expected one of "warn"|"fail" (given: "never")',
    ]);
  });

  test("a model added under models.extra and not on the list warns, naming models.extra as the catalogue's source", () => {
    const extra = { "anthropic.claude-opus-5-v1:0": { profiles: ["apac"], expectedSeconds: 6, qInConnect: ["apac"] } };
    const base = defaultEnvironment("dev");
    const env = withModels("dev", { extra }, { qInConnect: { ...base.qInConnect!, agents: { ...base.qInConnect!.agents, voice: { preProcessing: "apac.amazon.nova-pro-v1:0", answerGeneration: "apac.anthropic.claude-opus-5-v1:0" } } } });
    expect(catalogueWith(env.models.extra)["anthropic.claude-opus-5-v1:0"]).toBeDefined();
    const [unlisted] = unlistedQInConnectModelsOf(env);
    expect(unlisted.fields).toEqual(["qInConnect.agents.voice.answerGeneration"]);
    expect(unlisted.warning).toContain("The catalogue accepts it from: models.extra in the environment config.");
  });
});
