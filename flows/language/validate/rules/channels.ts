/**
 * Channel support. The service does not check channels at publish time; an unsupported action takes
 * its Error branch at run time. An action no channel of the flow supports is an error; one that only
 * some of the flow's channels support is a warning (branch on $.Channel before it).
 */
import type { FlowChannel } from "../../wire";
import type { ActionRule } from "../context";
import type { CheckedAction } from "../envelope";

interface ChannelLimit {
  readonly unsupported: FlowChannel;
  readonly what: string;
  readonly fix: string;
  /** Only a warning even where no channel supports it (the sources disagree). */
  readonly soft?: boolean;
}

function limitsOf(action: CheckedAction): ChannelLimit[] {
  const p = action.parameters;
  const voiceOnlyMessage = ["SSML", "PromptId", "Media"].find((k) => p[k] !== undefined);
  switch (action.type) {
    case "GetParticipantInput":
      return [{ unsupported: "CHAT", what: "GetParticipantInput (DTMF) does not work on chat", fix: "use ConnectParticipantWithLexBot for chat input" }];
    case "MessageParticipant":
      return voiceOnlyMessage
        ? [{ unsupported: "CHAT", what: `MessageParticipant with ${voiceOnlyMessage} plays on voice only`, fix: "send Text on chat", soft: voiceOnlyMessage === "Media" }]
        : [];
    case "ConnectParticipantWithLexBot":
      return voiceOnlyMessage && voiceOnlyMessage !== "Media"
        ? [{ unsupported: "CHAT", what: `the Lex prompt is ${voiceOnlyMessage}, which plays on voice only`, fix: "use Text for the prompt on chat", soft: true }]
        : [];
    case "ShowView":
      return [{ unsupported: "VOICE", what: "ShowView does not show on a voice contact", fix: "show views from the agent's step-by-step guide flow (DefaultAgentUI hook) or on chat" }];
    case "Wait":
      return [
        {
          unsupported: "VOICE",
          what: "Wait takes its Error branch on voice unless the flow keeps running while waiting",
          fix: "use Wait on chat, or check the block's voice options",
          soft: true,
        },
      ];
    case "UpdateContactRecordingBehavior":
      return p.AnalyticsBehavior !== undefined
        ? [{ unsupported: "CHAT", what: "AnalyticsBehavior of UpdateContactRecordingBehavior works on voice only", fix: "use UpdateContactRecordingAndAnalyticsBehavior for chat analytics", soft: true }]
        : [];
    default:
      return [];
  }
}

export const checkChannels: ActionRule = (action, { channels, findings }) => {
  if (!channels || channels.length === 0) return;
  for (const limit of limitsOf(action)) {
    if (!channels.includes(limit.unsupported)) continue;
    const everywhere = channels.every((c) => c === limit.unsupported);
    const message = `${limit.what} (flow channels: ${channels.join(", ")})`;
    if (everywhere && !limit.soft) findings.error("channel-unsupported", action.id, message, limit.fix);
    else findings.warning("channel-unsupported", action.id, message, everywhere ? limit.fix : `branch on $.Channel before it; ${limit.fix}`);
  }
};
