import { App } from "cdktf";
import { ConfigError, loadEnvironments } from "./config/load";
import { ContactCenterStack, stackName } from "./stacks/contact-center-stack";
import { LatencyBudgetError } from "./stacks/latency/budget";
import { synthWarnings } from "./stacks/synth-warnings";

/**
 * Synthesizes one Terraform stack per environment into cdktf.out/stacks/contact-center-<env>/.
 * CONTACT_CENTER_ENV=<name> synthesizes only that environment; CONTACT_CENTER_CONFIG_DIR points at
 * another folder of environment files.
 */
function main(): void {
  const started = Date.now();
  const environments = loadEnvironments({
    dir: process.env.CONTACT_CENTER_CONFIG_DIR || undefined,
    only: process.env.CONTACT_CENTER_ENV || undefined,
  });
  const app = new App({ outdir: process.env.CONTACT_CENTER_OUTDIR || "cdktf.out" });
  for (const env of environments) new ContactCenterStack(app, stackName(env), { env });
  app.synth();
  // The cdktf CLI prints these after `cdktf synth`; without it nobody would see them.
  for (const warning of synthWarnings(app.outdir)) console.error(`warning: ${warning.stack}: ${warning.message}`);
  const names = environments.map(stackName).join(", ");
  console.log(`synthesized ${names} into ${app.outdir}/stacks in ${Date.now() - started} ms`);
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof LatencyBudgetError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
