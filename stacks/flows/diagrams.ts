import * as fs from "node:fs";
import * as path from "node:path";
import type { ISynthesisSession, TerraformStack } from "cdktf";
import { contactFlowsIn } from "./contact-flow";

/**
 * Writes every flow of the stack as a Mermaid diagram (`<flow>.mmd`) into the stack's working directory
 * when the stack is synthesized, for review next to the Terraform JSON (pipelines post them to the job
 * summary). Wraps the stack's synthesizer, a public property of TerraformStack.
 */
export function writeFlowDiagrams(stack: TerraformStack): void {
  const inner = stack.synthesizer;
  stack.synthesizer = {
    synthesize(session: ISynthesisSession): void {
      inner.synthesize(session);
      const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      for (const flow of contactFlowsIn(stack)) fs.writeFileSync(path.join(dir, `${flow.name}.mmd`), `${flow.mermaid()}\n`);
    },
  };
}
