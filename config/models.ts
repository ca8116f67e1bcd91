/**
 * Bedrock model catalogue: which model ids exist, where they may be called from, whether Amazon Q in
 * Connect accepts them in custom self-service prompts, and how long a typical answer takes.
 *
 * Sources: Bedrock inference-profile docs (prefixes and source regions); for Q in Connect, the documents
 * in Q_IN_CONNECT_SOURCES, named per entry in `qInConnectSources` with the date each was read; and
 * third-party latency measurements. Availability changes over time: a platform team can add or
 * override entries per environment with `models.extra` in the environment config, and should confirm
 * Q in Connect models with the qconnect `ListModels` API before relying on them. A configured Q in
 * Connect model that the published list (Q_IN_CONNECT_PUBLISHED) does not name for the region is
 * reported at synth (`models.qInConnectUnlisted`: a warning, or a configuration error).
 */

/** Cross-region inference profile prefixes, with the source regions that may call them. */
export const PROFILE_PREFIXES = ["us", "eu", "apac", "jp", "au", "global"] as const;
export type ProfilePrefix = (typeof PROFILE_PREFIXES)[number];

/** Which source regions may call an inference profile with the given prefix. */
export function profileServesRegion(prefix: ProfilePrefix, region: string): boolean {
  switch (prefix) {
    case "us":
      return /^(us|ca)-(?!gov)/.test(region);
    case "eu":
      return region.startsWith("eu-");
    case "apac":
      return region.startsWith("ap-");
    case "jp":
      return region === "ap-northeast-1" || region === "ap-northeast-3";
    case "au":
      return region === "ap-southeast-2" || region === "ap-southeast-4";
    case "global":
      return !/^(cn|us-gov|us-iso)/.test(region);
  }
}

/** A prefix (or `in-region`, the base id called in its own region) Q in Connect takes a model with. */
export type QInConnectPrefix = ProfilePrefix | "in-region";

/** A document the catalogue's Q in Connect marks come from. */
export interface QInConnectSource {
  /** Document name (and which part of it). */
  readonly document: string;
  readonly url: string;
  /** When it was read (ISO date, or month where the day was not recorded). */
  readonly read: string;
  readonly publisher: "AWS documentation" | "AWS sample" | "third party";
  /** What else to know about the document. */
  readonly note?: string;
}

/**
 * Documents that say which model ids Q in Connect takes for custom prompts. They disagree and change
 * without notice, so each catalogue entry names the ones behind its marks.
 */
export const Q_IN_CONNECT_SOURCES = {
  adminGuide: {
    document: 'Amazon Connect Administrator Guide, "Create AI prompts", supported models for system/custom prompts per Region',
    url: "https://docs.aws.amazon.com/connect/latest/adminguide/create-ai-prompts.html",
    read: "2026-11",
    publisher: "AWS documentation",
    note: "read from a stored copy, summarised in shared/reference/runtime-facts.md §2",
  },
  apiReference: {
    document: 'Amazon Q in Connect API reference, AIPromptData modelId, "The following model Ids are supported"',
    url: "https://docs.aws.amazon.com/sdk-for-sap-abap/v1/api/latest/qqc/model/_AWS1_CL_QQCAIPROMPTDATA.html",
    read: "2026-12-01",
    publisher: "AWS documentation",
    note: "the service model's list as the SDK references render it; the HTML API reference pages (API_amazon-q-connect_AIPromptData) still name only anthropic.claude-3-haiku-20240307-v1:0",
  },
  cdkConstructsSample: {
    document: "aws-samples/sample-cdk-constructs-for-amazon-connect, test/integ.default.ts (Region-to-model table)",
    url: "https://github.com/aws-samples/sample-cdk-constructs-for-amazon-connect/blob/629aae8e0f375f9e37d97a0deed91fa54f3c88e4/test/integ.default.ts",
    read: "2026-12-01",
    publisher: "AWS sample",
    note: "its comment: claude-3-7-sonnet and claude-3-5-haiku are no longer supported in the us Regions, Claude Sonnet 4 is",
  },
  agenticSamples: {
    document: "aws-samples/sample-amazon-connect-customer-starter-kit-japan and sample-agentic-connect-experience, orchestration AI prompts",
    url: "https://github.com/aws-samples/sample-agentic-connect-experience",
    read: "2026-11",
    publisher: "AWS sample",
    note: "us.anthropic.claude-sonnet-4-5 and us.anthropic.claude-haiku-4-5 (commits a471f6d, 678c66b; shared/reference/q-in-connect-agentic.md §1.3)",
  },
  classmethod45: {
    document: "Classmethod blog, Claude Sonnet 4.5 and Haiku 4.5 available in Amazon Q in Connect (ap-northeast-1)",
    url: "https://dev.classmethod.jp/articles/amazon-q-connect-claude-sonnet-haiku-4-5-available",
    read: "2026-11",
    publisher: "third party",
  },
  euGuide2026: {
    document: "a 2026 third-party guide listing eu. Claude Haiku 4.5 and Sonnet 4.5 for Q in Connect",
    url: "shared/reference/runtime-facts.md",
    read: "2026-11",
    publisher: "third party",
    note: "cited in runtime-facts.md §2 without a URL",
  },
} as const satisfies Record<string, QInConnectSource>;
export type QInConnectSourceId = keyof typeof Q_IN_CONNECT_SOURCES;

/** What one source says about one model. */
export interface QInConnectEvidence {
  readonly source: QInConnectSourceId;
  /** The prefixes the source lists the model with. */
  readonly lists: readonly QInConnectPrefix[];
  /** The Regions whose table (or example) lists it, where the source is per Region. */
  readonly regions?: readonly string[];
  /** What else the source says (a withdrawal, a reading of the table). */
  readonly note?: string;
}

/**
 * The model ids the published list names for custom AI prompts: the API reference's list (one list for
 * every Region; an id is listed for a Region when it is on the list and callable there). A configured Q
 * in Connect model missing from it gets a synth warning, or fails with `models.qInConnectUnlisted: "fail"`.
 */
export const Q_IN_CONNECT_PUBLISHED = {
  source: "apiReference",
  ids: [
    "anthropic.claude-3-haiku-20240307-v1:0",
    "apac.amazon.nova-lite-v1:0",
    "apac.amazon.nova-micro-v1:0",
    "apac.amazon.nova-pro-v1:0",
    "apac.anthropic.claude-3-5-sonnet-20241022-v2:0",
    "apac.anthropic.claude-3-haiku-20240307-v1:0",
    "eu.amazon.nova-lite-v1:0",
    "eu.amazon.nova-micro-v1:0",
    "eu.amazon.nova-pro-v1:0",
    "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "eu.anthropic.claude-3-haiku-20240307-v1:0",
    "us.amazon.nova-lite-v1:0",
    "us.amazon.nova-micro-v1:0",
    "us.amazon.nova-pro-v1:0",
    "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "us.anthropic.claude-3-haiku-20240307-v1:0",
  ],
} as const satisfies { source: QInConnectSourceId; ids: readonly string[] };

/** Regions whose admin-guide table was read: Tokyo, Singapore, Sydney, Seoul share the apac list. */
const APAC_TABLES = ["ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-2"] as const;
const US_TABLES = ["us-east-1", "us-west-2"] as const;
const US_TABLE_READING = "us table read as the apac list with us. ids, plus us.anthropic.claude-3-5-haiku and claude-3-7-sonnet";

export interface ModelInfo {
  /** Profiles AWS publishes for the model. */
  readonly profiles: readonly ProfilePrefix[];
  /** Regions that serve the model on demand without a profile; empty when a profile is required. */
  readonly inRegion: readonly string[];
  /**
   * Typical seconds for one answer of about 300 output tokens with a short RAG prompt (time to first
   * token + output / speed). Measured values where a source exists, estimates otherwise (see `source`).
   */
  readonly expectedSeconds: number;
  /** Where `expectedSeconds` comes from. */
  readonly source: string;
  /** Profile prefixes (or `in-region`) the kit accepts for Q in Connect custom self-service prompts. */
  readonly qInConnect: readonly QInConnectPrefix[];
  /**
   * Where the Q in Connect marks come from: every accepted prefix is listed by at least one source
   * (the catalogue's entries all have this; `models.extra` entries may leave it out).
   */
  readonly qInConnectSources?: readonly QInConnectEvidence[];
}

/** Base model ids (without a region prefix) the kit knows. */
export const MODELS = {
  "amazon.nova-micro-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: ["us-east-1"],
    expectedSeconds: 1.5,
    source: "P50 TTFT 0.3 s, ~300-575 tok/s (third-party gateway listings)",
    qInConnect: ["apac", "us"],
    qInConnectSources: [
      { source: "adminGuide", lists: ["apac"], regions: APAC_TABLES },
      { source: "adminGuide", lists: ["us"], regions: US_TABLES, note: US_TABLE_READING },
      { source: "apiReference", lists: ["apac", "us", "eu"], note: "eu. is listed too; the admin guide's eu-west-2 table does not have it, so the kit does not accept it" },
    ],
  },
  "amazon.nova-lite-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: ["us-east-1"],
    expectedSeconds: 2,
    source: "P50 TTFT 0.4 s (third-party gateway listing); output speed estimated",
    qInConnect: ["apac", "us"],
    qInConnectSources: [
      { source: "adminGuide", lists: ["apac"], regions: APAC_TABLES },
      { source: "adminGuide", lists: ["us"], regions: US_TABLES, note: US_TABLE_READING },
      { source: "apiReference", lists: ["apac", "us", "eu"], note: "eu. is listed too; the admin guide's eu-west-2 table does not have it, so the kit does not accept it" },
      { source: "cdkConstructsSample", lists: ["apac", "us"], regions: ["ap-northeast-1", "us-east-1", "us-west-2"] },
    ],
  },
  "amazon.nova-pro-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: ["us-east-1"],
    expectedSeconds: 2.5,
    source: "P50 TTFT 0.3 s, 141 tok/s (third-party gateway listing)",
    qInConnect: ["apac", "us"],
    qInConnectSources: [
      { source: "adminGuide", lists: ["apac"], regions: APAC_TABLES },
      { source: "adminGuide", lists: ["us"], regions: US_TABLES, note: US_TABLE_READING },
      { source: "apiReference", lists: ["apac", "us", "eu"], note: "eu. is listed too; the admin guide's eu-west-2 table does not have it, so the kit does not accept it" },
      { source: "cdkConstructsSample", lists: ["apac", "us"], regions: ["ap-northeast-1", "us-east-1", "us-west-2"] },
    ],
  },
  "anthropic.claude-3-haiku-20240307-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: ["us-east-1", "us-west-2", "ap-northeast-1", "ap-southeast-2", "eu-central-1", "eu-west-2"],
    expectedSeconds: 3,
    source: "estimate: no published Bedrock figure found",
    qInConnect: ["in-region", "apac", "us", "eu"],
    qInConnectSources: [
      { source: "adminGuide", lists: ["in-region", "apac"], regions: APAC_TABLES },
      { source: "adminGuide", lists: ["us"], regions: US_TABLES, note: US_TABLE_READING },
      { source: "adminGuide", lists: ["eu"], regions: ["eu-west-2"] },
      { source: "apiReference", lists: ["in-region", "apac", "us", "eu"] },
      { source: "cdkConstructsSample", lists: ["apac", "us"], regions: ["ap-northeast-1", "us-east-1", "us-west-2"] },
    ],
  },
  "anthropic.claude-3-5-haiku-20241022-v1:0": {
    profiles: ["us"],
    inRegion: [],
    expectedSeconds: 5.5,
    source: "TTFT 0.7-0.8 s, standard latency (artificialanalysis.ai); 300 tokens ~5-6 s",
    qInConnect: [],
    qInConnectSources: [
      { source: "adminGuide", lists: ["us"], regions: US_TABLES },
      { source: "apiReference", lists: ["us"] },
      { source: "cdkConstructsSample", lists: [], regions: US_TABLES, note: "no longer supported in the us Regions, so the kit does not accept it" },
    ],
  },
  "anthropic.claude-haiku-4-5-20251001-v1:0": {
    profiles: ["us", "eu", "apac", "jp", "au", "global"],
    inRegion: [],
    expectedSeconds: 4,
    source: "p50 1.24 s on a short task (third-party); 300 tokens estimated",
    qInConnect: ["apac", "us", "eu"],
    qInConnectSources: [
      { source: "classmethod45", lists: ["apac"], regions: ["ap-northeast-1"] },
      { source: "agenticSamples", lists: ["us"], regions: ["us-east-1"], note: "in orchestration prompts" },
      { source: "euGuide2026", lists: ["eu"] },
    ],
  },
  "anthropic.claude-3-5-sonnet-20241022-v2:0": {
    profiles: ["us", "apac"],
    inRegion: [],
    expectedSeconds: 7,
    source: "TTFT 0.93-0.96 s, 53-54 tok/s on Bedrock (artificialanalysis.ai); field report ~11-13 s per Q in Connect turn",
    qInConnect: ["apac"],
    qInConnectSources: [
      { source: "adminGuide", lists: ["apac"], regions: APAC_TABLES },
      { source: "apiReference", lists: ["apac"] },
      { source: "cdkConstructsSample", lists: ["apac"], regions: ["ap-northeast-1"] },
    ],
  },
  "anthropic.claude-3-7-sonnet-20250219-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: [],
    expectedSeconds: 8,
    source: "estimate: no published Bedrock figure found",
    qInConnect: ["eu"],
    qInConnectSources: [
      { source: "adminGuide", lists: ["eu"], regions: ["eu-west-2"] },
      { source: "adminGuide", lists: ["us"], regions: US_TABLES },
      { source: "apiReference", lists: ["eu", "us"] },
      { source: "cdkConstructsSample", lists: [], regions: US_TABLES, note: "no longer supported in the us Regions, so the kit accepts eu. only" },
    ],
  },
  "anthropic.claude-sonnet-4-20250514-v1:0": {
    profiles: ["us", "eu", "apac", "global"],
    inRegion: [],
    expectedSeconds: 8,
    source: "estimate: no published Bedrock figure found; similar to Claude 3.5 Sonnet",
    qInConnect: ["apac", "us"],
    qInConnectSources: [
      { source: "adminGuide", lists: ["apac"], regions: APAC_TABLES },
      { source: "cdkConstructsSample", lists: ["us"], regions: US_TABLES },
    ],
  },
  "anthropic.claude-sonnet-4-5-20250929-v1:0": {
    profiles: ["us", "eu", "apac", "jp", "au", "global"],
    inRegion: [],
    expectedSeconds: 9,
    source: "p50 1.64 s on a short task (third-party, Sonnet 4.6); 300 tokens estimated",
    qInConnect: ["apac", "us", "eu"],
    qInConnectSources: [
      { source: "classmethod45", lists: ["apac"], regions: ["ap-northeast-1"] },
      { source: "agenticSamples", lists: ["us"], regions: ["us-east-1"], note: "in orchestration prompts" },
      { source: "euGuide2026", lists: ["eu"] },
    ],
  },
} as const satisfies Record<string, ModelInfo & { readonly qInConnectSources: readonly QInConnectEvidence[] }>;

export type BaseModelId = keyof typeof MODELS;

/** A model id as Bedrock and Q in Connect take it: an in-region id or a profile-prefixed id. */
export type ModelId = BaseModelId | `${ProfilePrefix}.${BaseModelId}`;

/** A parsed model id: its profile prefix (if any) and base id. */
export interface ParsedModelId {
  readonly id: string;
  readonly prefix?: ProfilePrefix;
  readonly baseId: string;
}

export function parseModelId(id: string): ParsedModelId {
  const dot = id.indexOf(".");
  const head = dot > 0 ? id.slice(0, dot) : "";
  if ((PROFILE_PREFIXES as readonly string[]).includes(head)) {
    return { id, prefix: head as ProfilePrefix, baseId: id.slice(dot + 1) };
  }
  return { id, baseId: id };
}

/** Catalogue lookup that includes environment-specific additions. */
export type ModelCatalogue = Readonly<Record<string, ModelInfo>>;

export function catalogueWith(extra: Readonly<Record<string, ModelInfo>> = {}): ModelCatalogue {
  return { ...MODELS, ...extra };
}

/**
 * Checks that `id` can be called from `region`; returns a message naming what is allowed, or
 * undefined when the id is fine. `usage` says where the id is used, for the message.
 */
export function checkModelForRegion(
  catalogue: ModelCatalogue,
  id: string,
  region: string,
  options: { readonly qInConnect?: boolean } = {},
): string | undefined {
  const { prefix, baseId } = parseModelId(id);
  const info = catalogue[baseId];
  if (!info) {
    return `unknown model "${id}"; known base models: ${Object.keys(catalogue).join(", ")} (add others under models.extra)`;
  }
  const callable = [
    ...info.profiles.filter((p) => profileServesRegion(p, region)).map((p) => `${p}.${baseId}`),
    ...(info.inRegion.includes(region) ? [baseId] : []),
  ];
  const offered = prefix ? info.profiles.includes(prefix) && profileServesRegion(prefix, region) : info.inRegion.includes(region);
  if (!offered) {
    return `model "${id}" is not offered in ${region}; ids callable there: ${callable.join(", ") || "none"}`;
  }
  if (options.qInConnect) {
    const key = prefix ?? "in-region";
    if (!info.qInConnect.includes(key)) {
      const accepted = info.qInConnect.map((p) => (p === "in-region" ? baseId : `${p}.${baseId}`)).filter((m) => callable.includes(m));
      return `model "${id}" is not listed for Amazon Q in Connect custom prompts in ${region}; accepted ids for this model there: ${accepted.join(", ") || "none"}`;
    }
  }
  return undefined;
}

/** `Document (url, read <date>[; Regions ...])`, for messages. */
export function describeQInConnectSource(id: QInConnectSourceId, regions?: readonly string[]): string {
  const source: QInConnectSource = Q_IN_CONNECT_SOURCES[id];
  return `${source.document} (${source.url}, read ${source.read}${regions ? `; Regions ${regions.join(", ")}` : ""})`;
}

/** Whether the published list names `id` (an id the catalogue lets the region call). */
export function isPublishedForQInConnect(id: string): boolean {
  return (Q_IN_CONNECT_PUBLISHED.ids as readonly string[]).includes(id);
}

/** Published ids the catalogue accepts for Q in Connect and the region can call (for remedies). */
export function publishedQInConnectIds(catalogue: ModelCatalogue, region: string): string[] {
  return Q_IN_CONNECT_PUBLISHED.ids.filter((id) => !checkModelForRegion(catalogue, id, region, { qInConnect: true }));
}

/** Where a configured Q in Connect model is used: a field path and the id given there. */
export interface QInConnectModelUse {
  readonly path: readonly (string | number)[];
  readonly id: string;
}

/** A configured Q in Connect model the published list does not name for the region. */
export interface UnlistedQInConnectModel {
  readonly id: string;
  readonly region: string;
  /** Every field that uses it, as `a.b.c`. */
  readonly fields: readonly string[];
  readonly paths: readonly (readonly (string | number)[])[];
  /** The synth warning: model, region, the published list's source, and the catalogue's own sources. */
  readonly warning: string;
  /** The configuration error for one field (with `models.qInConnectUnlisted: "fail"`). */
  readonly error: string;
}

/**
 * The configured Q in Connect models that the published list does not name for `region`, one entry per
 * model. Ids that fail `checkModelForRegion` are left out: they are configuration errors already.
 */
export function unlistedQInConnectModels(catalogue: ModelCatalogue, uses: readonly QInConnectModelUse[], region: string): UnlistedQInConnectModel[] {
  const byId = new Map<string, QInConnectModelUse[]>();
  for (const use of uses) {
    if (isPublishedForQInConnect(use.id) || checkModelForRegion(catalogue, use.id, region, { qInConnect: true })) continue;
    byId.set(use.id, [...(byId.get(use.id) ?? []), use]);
  }
  const published = describeQInConnectSource(Q_IN_CONNECT_PUBLISHED.source);
  return [...byId.entries()].map(([id, modelUses]) => {
    const { prefix, baseId } = parseModelId(id);
    const key: QInConnectPrefix = prefix ?? "in-region";
    const evidence = (catalogue[baseId].qInConnectSources ?? []).filter((e) => e.lists.includes(key) && (!e.regions || e.regions.includes(region)));
    const anyRegion = evidence.length ? evidence : (catalogue[baseId].qInConnectSources ?? []).filter((e) => e.lists.includes(key));
    const marks = anyRegion.length
      ? anyRegion.map((e) => describeQInConnectSource(e.source, e.regions)).join("; ")
      : "models.extra in the environment config";
    const fields = modelUses.map((u) => u.path.join("."));
    const listed = publishedQInConnectIds(catalogue, region);
    return {
      id,
      region,
      fields,
      paths: modelUses.map((u) => u.path),
      warning:
        `Amazon Q in Connect model "${id}" (${fields.join(", ")}) is not in the published list for ${region}: ${published}. ` +
        `The catalogue accepts it from: ${marks}. ` +
        `Confirm it with the qconnect ListModels API in ${region} before relying on it; models.qInConnectUnlisted: "fail" refuses unlisted models.`,
      error:
        `model "${id}" is not in the published list of Amazon Q in Connect custom-prompt models for ${region} (${published}) and models.qInConnectUnlisted is "fail"; ` +
        `listed ids callable there: ${listed.join(", ") || "none"} (or set models.qInConnectUnlisted: "warn")`,
    };
  });
}

/** The parts of an environment that say which Q in Connect models it uses (structural, so the schema can call it). */
export interface QInConnectModelsConfig {
  readonly region: string;
  readonly channels: { readonly chat: { readonly engine: string }; readonly voice: { readonly engine: string } };
  readonly qInConnect?: { readonly agents: Readonly<Record<"chat" | "voice", { readonly preProcessing: string; readonly answerGeneration: string }>> };
  readonly models: { readonly extra: Readonly<Record<string, ModelInfo>> };
}

/** The Q in Connect model fields in effect: both agents' models, when a channel uses q-in-connect. */
export function qInConnectModelUses(env: QInConnectModelsConfig): QInConnectModelUse[] {
  const engines = [env.channels.chat.engine, env.channels.voice.engine];
  if (!env.qInConnect || !engines.includes("q-in-connect")) return [];
  const agents = env.qInConnect.agents;
  return (["chat", "voice"] as const).flatMap((channel) =>
    (["preProcessing", "answerGeneration"] as const).map((role) => ({ path: ["qInConnect", "agents", channel, role], id: agents[channel][role] })),
  );
}

/** `unlistedQInConnectModels` for an environment. */
export function unlistedQInConnectModelsOf(env: QInConnectModelsConfig): UnlistedQInConnectModel[] {
  return unlistedQInConnectModels(catalogueWith(env.models.extra), qInConnectModelUses(env), env.region);
}
