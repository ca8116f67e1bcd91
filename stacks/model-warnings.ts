import { Annotations } from "cdktf";
import type { IConstruct } from "constructs";
import { type UnlistedQInConnectModel, unlistedQInConnectModelsOf } from "../config/models";
import type { EnvironmentConfig } from "../config/schema/environment";

/**
 * Adds a synth warning (a cdktf annotation on `scope`) for each configured Q in Connect model that the
 * published list does not name for the environment's region (`models.qInConnectUnlisted: "warn"`, the
 * default; with "fail" the configuration was refused already). The cdktf CLI prints annotations after
 * `cdktf synth`; main.ts prints them for `npm run synth`; both are in the stack's manifest entry.
 */
export function warnUnlistedQInConnectModels(scope: IConstruct, env: EnvironmentConfig): UnlistedQInConnectModel[] {
  if (env.models.qInConnectUnlisted !== "warn") return [];
  const unlisted = unlistedQInConnectModelsOf(env);
  for (const model of unlisted) Annotations.of(scope).addWarning(model.warning);
  return unlisted;
}
