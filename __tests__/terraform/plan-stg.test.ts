import { describeTerraformPlan } from "../support/plan-suite";
import { defaultEnvironment } from "../support/synth";

describeTerraformPlan(defaultEnvironment("stg"), { minResources: 50 });
