import { describeTerraformPlan } from "../support/plan-suite";
import { defaultEnvironment } from "../support/synth";

describeTerraformPlan(defaultEnvironment("dev"), { minResources: 60 });
