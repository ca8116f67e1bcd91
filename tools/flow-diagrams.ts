import * as fs from "node:fs";
import * as path from "node:path";
import { buildChatFlow, chatPollSettings } from "../flows/chat";
import { flowMessages } from "../flows/default-messages";
import { flowToMermaid } from "../flows/language";
import type { SelfServiceFlowProps } from "../flows/self-service";
import { buildVoiceFlow } from "../flows/voice";
import { QConnectSession } from "../functions/shared/flow-contract";

/**
 * Writes the README's flow diagrams (Mermaid) from the flow modules themselves, so the pictures cannot
 * drift from what the kit deploys: `npx tsx tools/flow-diagrams.ts` rewrites the blocks between the
 * `<!-- flow-diagram:<name> -->` markers, `--check` exits 1 when one is stale.
 *
 * The flows are built as dev builds them (bridge poll strategy on chat, Q in Connect on voice), in
 * English, with readable placeholders where the stack passes Terraform references.
 */
const README = path.join(__dirname, "..", "README.md");
const ARN = "arn:aws:lambda:region:account:function";

function placeholderProps(engine: SelfServiceFlowProps["engine"]): SelfServiceFlowProps {
  return {
    engine,
    locale: "en_US",
    messages: flowMessages("en_US", {}),
    botAliasArn: `arn:aws:lex:region:account:bot-alias/${engine === "bedrock-bridge" ? "BRIDGEBOT" : "QCONNECTBOT"}/LIVE`,
    handoff: { agentUiFlowArn: "arn:aws:connect:region:account:instance/ID/contact-flow/AGENT-UI", queueArn: "arn:aws:connect:region:account:instance/ID/queue/HANDOFF" },
    logging: true,
    qInConnect: {
      assistantArn: "arn:aws:wisdom:region:account:assistant/ASSISTANT",
      sessionFunctionArn: `${ARN}:cc-dev-qconnect-session`,
      sessionTimeoutSeconds: QConnectSession.flowTimeoutSeconds,
    },
  };
}

/** The diagrams the README shows, by marker name. */
export function readmeDiagrams(): Record<string, string> {
  const chat = buildChatFlow({
    ...placeholderProps("bedrock-bridge"),
    strategy: "poll",
    inputTimeoutSeconds: 600,
    poll: chatPollSettings({ pollerArn: `${ARN}:cc-dev-answer-poller`, pollerBudgetMs: 6500, turnTimeoutSeconds: 90 }),
  });
  const voice = buildVoiceFlow({
    ...placeholderProps("q-in-connect"),
    voice: { voiceId: "Joanna", engine: "neural", recording: ["Agent", "Customer"], analytics: false },
  });
  return { "chat-poll": flowToMermaid(chat, { direction: "TD" }), voice: flowToMermaid(voice, { direction: "TD" }) };
}

/** The README with every diagram block replaced by the current rendering. */
export function renderReadme(readme: string): string {
  let result = readme;
  for (const [name, diagram] of Object.entries(readmeDiagrams())) {
    const start = `<!-- flow-diagram:${name} -->`;
    const end = `<!-- /flow-diagram:${name} -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
    result = `${result.slice(0, from + start.length)}\n\`\`\`mermaid\n${diagram}\n\`\`\`\n${result.slice(to)}`;
  }
  return result;
}

function main(): void {
  const current = fs.readFileSync(README, "utf8");
  const next = renderReadme(current);
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("README.md flow diagrams are stale: run npm run docs:flows");
      process.exit(1);
    }
    console.log("README.md flow diagrams are current");
    return;
  }
  fs.writeFileSync(README, next);
  console.log(next === current ? "README.md flow diagrams unchanged" : "README.md flow diagrams updated");
}

if (require.main === module) main();
