import { describeTerraformPlan } from "../support/plan-suite";
import { defaultEnvironment } from "../support/synth";

describeTerraformPlan(defaultEnvironment("prod"), { minResources: 60 });
