/** Contact actions: attributes, event hooks, contact data, queues, logging, recording, voice. */
import { EVENT_HOOK_NAMES } from "../../actions";
import { hasPlaceholder } from "../../placeholders";
import type { ActionRule } from "../context";
import { asObject, asString, show } from "../values";

/** A static enum value (placeholders pass). */
function inSet(value: unknown, allowed: readonly string[], caseInsensitive = false): boolean {
  if (typeof value !== "string") return false;
  if (hasPlaceholder(value)) return true;
  return caseInsensitive ? allowed.some((a) => a.toLowerCase() === value.toLowerCase()) : allowed.includes(value);
}

export const checkAttributes: ActionRule = (action, { findings }) => {
  if (action.type !== "UpdateContactAttributes") return;
  const p = action.parameters;
  const attributes = asObject(p.Attributes);
  if (p.Attributes !== undefined && (!attributes || Object.keys(attributes).length === 0)) {
    findings.error("parameter-value", action.id, `Attributes is ${show(p.Attributes)}`, "give at least one attribute as a string map");
  }
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (typeof value !== "string") findings.error("parameter-value", action.id, `attribute "${key}" is ${show(value)}`, "write attribute values as strings");
    // Reported refused by third-party publish tests, yet a published sample builds keys with references.
    if (/[.$[\]]/.test(key)) {
      findings.warning("attribute-key", action.id, `attribute key "${key}" contains . $ [ or ]; it cannot be read back as $.Attributes.<key>`, "use letters, digits, - and _ in attribute keys");
    }
  }
  if (p.TargetContact !== undefined && !inSet(p.TargetContact, ["Current", "Related"])) {
    findings.error("parameter-value", action.id, `TargetContact is ${show(p.TargetContact)}`, 'use "Current" or "Related"');
  }
};

export const checkEventHooks: ActionRule = (action, { findings }) => {
  if (action.type !== "UpdateContactEventHooks") return;
  const p = action.parameters;
  const hooks = asObject(p.EventHooks);
  if (p.EventHooks === undefined) {
    if (p.EventHooksConfiguration === undefined) {
      findings.error("event-hooks", action.id, "UpdateContactEventHooks sets no hook", 'add "EventHooks": {"<hook>": "<flow ARN>"}');
    }
    return;
  }
  const entries = Object.entries(hooks ?? {});
  if (!hooks || entries.length !== 1) {
    findings.error("event-hooks", action.id, `EventHooks is ${show(p.EventHooks)}; exactly one hook per action is allowed`, "use one UpdateContactEventHooks action per hook");
  }
  for (const [name, value] of entries) {
    if (!(EVENT_HOOK_NAMES as readonly string[]).includes(name)) findings.error("event-hooks", action.id, `EventHooks names "${name}"`, `use one of ${EVENT_HOOK_NAMES.join(", ")}`);
    if (typeof value !== "string") findings.error("event-hooks", action.id, `EventHooks.${name} is ${show(value)}`, "give the flow id or ARN as a string");
  }
};

export const checkContactData: ActionRule = (action, { findings }) => {
  if (action.type !== "UpdateContactData") return;
  if (Object.keys(action.parameters).length === 0) {
    findings.error("parameter-missing", action.id, "UpdateContactData sets nothing; the service refuses an empty update", "give at least one field, e.g. WisdomSessionArn: $.Wisdom.SessionArn");
  }
  const target = action.parameters.TargetContact;
  if (target !== undefined && !inSet(target, ["Current", "Related"])) {
    findings.error("parameter-value", action.id, `TargetContact is ${show(target)}`, 'use "Current" or "Related"');
  }
};

export const checkQueues: ActionRule = (action, { findings }) => {
  const p = action.parameters;
  if (action.type === "UpdateContactTargetQueue") {
    const given = ["QueueId", "AgentId"].filter((k) => p[k] !== undefined);
    if (given.length !== 1) {
      findings.error("parameter-missing", action.id, `UpdateContactTargetQueue gives ${given.length === 0 ? "neither QueueId nor AgentId" : "both QueueId and AgentId"}`, "give exactly one of QueueId or AgentId");
    }
    for (const key of given) {
      if (typeof p[key] !== "string") findings.error("parameter-value", action.id, `${key} is ${show(p[key])}`, `give the ${key === "QueueId" ? "queue" : "agent"} id or ARN as a plain string`);
    }
  }
  if (action.type === "TransferContactToQueue") {
    for (const key of Object.keys(p)) {
      if (!["QueueId", "QueueArn", "Queue"].includes(key)) {
        findings.error("parameter-rejected", action.id, `TransferContactToQueue has the parameter ${key}; it takes none`, 'write "Parameters": {} and set the queue with UpdateContactTargetQueue');
      }
    }
  }
};

export const checkBehaviors: ActionRule = (action, { findings }) => {
  const p = action.parameters;
  if (action.type === "UpdateFlowLoggingBehavior" && p.FlowLoggingBehavior !== undefined && !inSet(p.FlowLoggingBehavior, ["Enabled", "Disabled"])) {
    findings.error("parameter-value", action.id, `FlowLoggingBehavior is ${show(p.FlowLoggingBehavior)}`, 'use "Enabled" or "Disabled"');
  }
  if (action.type === "UpdateContactRecordingBehavior" && p.RecordingBehavior !== undefined) {
    const participants = asObject(p.RecordingBehavior)?.RecordedParticipants;
    if (!Array.isArray(participants) || participants.some((x) => !inSet(x, ["Agent", "Customer"]))) {
      findings.error("parameter-value", action.id, `RecordingBehavior is ${show(p.RecordingBehavior)}`, 'write {"RecordedParticipants": ["Agent", "Customer"]} (an empty list stops recording)');
    }
  }
  if (action.type === "UpdateContactTextToSpeechVoice") {
    // Consoles and Polly write engines in lower case; flows with "Neural" import too, so case is not enforced.
    if (p.TextToSpeechEngine !== undefined && !inSet(p.TextToSpeechEngine, ["standard", "neural", "long-form", "generative"], true)) {
      findings.error("parameter-value", action.id, `TextToSpeechEngine is ${show(p.TextToSpeechEngine)}`, 'use "standard", "neural", "long-form" or "generative"');
    }
    if (p.TextToSpeechStyle !== undefined && !inSet(p.TextToSpeechStyle, ["None", "Conversational", "Newscaster"])) {
      findings.error("parameter-value", action.id, `TextToSpeechStyle is ${show(p.TextToSpeechStyle)}`, 'use "None", "Conversational" or "Newscaster"');
    }
    if (p.TextToSpeechVoice !== undefined && asString(p.TextToSpeechVoice) === undefined) {
      findings.error("parameter-value", action.id, `TextToSpeechVoice is ${show(p.TextToSpeechVoice)}`, 'give the Polly voice name, e.g. "Joanna"');
    }
  }
};
