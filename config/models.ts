/**
 * Bedrock model catalogue: which model ids exist, where they may be called from, whether Amazon Q in
 * Connect accepts them in custom self-service prompts, and how long a typical answer takes.
 *
 * Sources: Bedrock inference-profile docs (prefixes and source regions), the Q in Connect "supported
 * models for system/custom prompts" table as stored on 2026-11 (see ../shared/reference/runtime-facts.md),
 * and third-party latency measurements. Availability changes over time: a platform team can add or
 * override entries per environment with `models.extra` in the environment config, and should confirm
 * Q in Connect models with the `ListModels` API before relying on them.
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
  /** Profile prefixes (or `in-region`) Q in Connect lists for custom self-service prompts. */
  readonly qInConnect: readonly (ProfilePrefix | "in-region")[];
}

/** Base model ids (without a region prefix) the kit knows. */
export const MODELS = {
  "amazon.nova-micro-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: ["us-east-1"],
    expectedSeconds: 1.5,
    source: "P50 TTFT 0.3 s, ~300-575 tok/s (third-party gateway listings)",
    qInConnect: ["apac", "us"],
  },
  "amazon.nova-lite-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: ["us-east-1"],
    expectedSeconds: 2,
    source: "P50 TTFT 0.4 s (third-party gateway listing); output speed estimated",
    qInConnect: ["apac", "us"],
  },
  "amazon.nova-pro-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: ["us-east-1"],
    expectedSeconds: 2.5,
    source: "P50 TTFT 0.3 s, 141 tok/s (third-party gateway listing)",
    qInConnect: ["apac", "us"],
  },
  "anthropic.claude-3-haiku-20240307-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: ["us-east-1", "us-west-2", "ap-northeast-1", "ap-southeast-2", "eu-central-1", "eu-west-2"],
    expectedSeconds: 3,
    source: "estimate: no published Bedrock figure found",
    qInConnect: ["in-region", "apac", "us", "eu"],
  },
  "anthropic.claude-3-5-haiku-20241022-v1:0": {
    profiles: ["us"],
    inRegion: [],
    expectedSeconds: 5.5,
    source: "TTFT 0.7-0.8 s, standard latency (artificialanalysis.ai); 300 tokens ~5-6 s",
    qInConnect: [],
  },
  "anthropic.claude-haiku-4-5-20251001-v1:0": {
    profiles: ["us", "eu", "apac", "jp", "au", "global"],
    inRegion: [],
    expectedSeconds: 4,
    source: "p50 1.24 s on a short task (third-party); 300 tokens estimated",
    qInConnect: ["apac", "us", "eu"],
  },
  "anthropic.claude-3-5-sonnet-20241022-v2:0": {
    profiles: ["us", "apac"],
    inRegion: [],
    expectedSeconds: 7,
    source: "TTFT 0.93-0.96 s, 53-54 tok/s on Bedrock (artificialanalysis.ai); field report ~11-13 s per Q in Connect turn",
    qInConnect: ["apac"],
  },
  "anthropic.claude-3-7-sonnet-20250219-v1:0": {
    profiles: ["us", "eu", "apac"],
    inRegion: [],
    expectedSeconds: 8,
    source: "estimate: no published Bedrock figure found",
    qInConnect: ["eu"],
  },
  "anthropic.claude-sonnet-4-20250514-v1:0": {
    profiles: ["us", "eu", "apac", "global"],
    inRegion: [],
    expectedSeconds: 8,
    source: "estimate: no published Bedrock figure found; similar to Claude 3.5 Sonnet",
    qInConnect: ["apac", "us"],
  },
  "anthropic.claude-sonnet-4-5-20250929-v1:0": {
    profiles: ["us", "eu", "apac", "jp", "au", "global"],
    inRegion: [],
    expectedSeconds: 9,
    source: "p50 1.64 s on a short task (third-party, Sonnet 4.6); 300 tokens estimated",
    qInConnect: ["apac", "us", "eu"],
  },
} as const satisfies Record<string, ModelInfo>;

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
