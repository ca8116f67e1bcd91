import { z } from "zod";
import { IamRoleArn } from "./common";

/**
 * How the post-deploy smoke test runs against an environment:
 * - `full`: start a real chat contact, ask the configured questions and ask for an agent;
 * - `read-only`: start nothing; only check that the deployed flows, queue and bots exist and resolve.
 */
export const SMOKE_MODES = ["full", "read-only"] as const;
export type SmokeMode = (typeof SMOKE_MODES)[number];

/**
 * Settings the GitOps pipelines read for one environment (`npx tsx tools/pipeline-matrix.ts` prints
 * them for the CI matrix). Synthesis ignores this section: it changes no resource.
 */
export const PipelineConfig = z
  .strictObject({
    /**
     * IAM role the pipeline assumes through OIDC (GitHub Actions `id-token`, GitLab `id_tokens`) to run
     * `terraform plan` and `apply` for this environment. Its trust policy decides which repository,
     * branch or protected environment may assume it.
     */
    oidcRoleArn: IamRoleArn.describe(
      "IAM role the pipeline assumes through OIDC (GitHub Actions id-token, GitLab id_tokens) to plan and apply this environment",
    ),
    /**
     * Whether applying needs a reviewer's approval (a protected GitHub environment, a manual GitLab job).
     * Set it on production-like environments.
     */
    protected: z
      .boolean()
      .default(false)
      .describe("whether applying needs a reviewer's approval (protected GitHub environment, manual GitLab job)"),
    /** How the smoke test runs after an apply; production usually runs `read-only`. */
    smokeMode: z
      .enum(SMOKE_MODES)
      .default("full")
      .describe('how the post-deploy smoke test runs: "full" starts a chat contact, "read-only" only checks that the deployed resources resolve'),
  })
  .describe("settings the GitOps pipelines read for this environment; synthesis ignores them");
export type PipelineConfig = z.output<typeof PipelineConfig>;
