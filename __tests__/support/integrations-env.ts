import { parseEnvironment } from "../../config/load";
import type { ConnectIntegrationsMode } from "../../config/schema/connect";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { defaultEnvironment } from "./synth";

/** A shipped environment with `connect.integrations` set, validated like an environment file. */
export function withIntegrations(name: string, integrations: ConnectIntegrationsMode): EnvironmentConfig {
  const env = defaultEnvironment(name);
  return parseEnvironment({ ...env, connect: { ...env.connect, integrations } }, `${name} with connect.integrations ${integrations}`);
}
