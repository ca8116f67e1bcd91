/** The Flow builder: typed helpers that write console-style Flow language actions. */
import type { KnownFlowAction } from "../actions";
import { identifierProblem } from "../identifiers";
import { layoutFlow } from "../layout";
import { FLOW_LANGUAGE_VERSION, type FlowAction, type FlowDocument, type JsonObject } from "../wire";
import { ActionRef } from "./action-ref";
import { compare, type CompareInput, endFlowExecution, loop, type LoopInput, wait, type WaitInput } from "./control-actions";
import {
  transferContactToQueue,
  type TransferContactToQueueInput,
  updateContactAttributes,
  type UpdateContactAttributesInput,
  updateContactData,
  type UpdateContactDataInput,
  updateContactEventHooks,
  type UpdateContactEventHooksInput,
  updateContactRecordingBehavior,
  type UpdateContactRecordingBehaviorInput,
  updateContactTargetQueue,
  type UpdateContactTargetQueueInput,
  updateContactTextToSpeechVoice,
  type UpdateContactTextToSpeechVoiceInput,
  updateFlowLoggingBehavior,
  type UpdateFlowLoggingBehaviorInput,
} from "./contact-actions";
import { customAction, type CustomActionInput } from "./custom-action";
import { FlowBuildError, FlowInputError } from "./errors";
import { createWisdomSession, type CreateWisdomSessionInput, invokeLambdaFunction, type InvokeLambdaFunctionInput } from "./integration-actions";
import {
  connectParticipantWithLexBot,
  type ConnectParticipantWithLexBotInput,
  disconnectParticipant,
  getParticipantInput,
  type GetParticipantInputInput,
  messageParticipant,
  type MessageParticipantInput,
  showView,
  type ShowViewInput,
} from "./participant-actions";
import type { Link } from "./transitions";
import { emptyStringPath } from "./values";

export interface FlowBuilderOptions {
  /**
   * Flow modules only: the module contract, written as the document's top-level `Settings` (module
   * content requires it; flow content must not have it).
   * @default none: the document is a flow, not a module
   */
  readonly moduleSettings?: JsonObject;
  /**
   * Write console-style layout `Metadata` (positions for the flow designer).
   * @default true
   */
  readonly layout?: boolean;
}

/**
 * Builds a Flow language document from typed action helpers. Transitions take {@link ActionRef}s
 * returned by the builder, so every target names an action of this flow; forward references
 * (`flow.ref("retry")`) allow cycles. Identifier problems are collected and reported together when
 * the flow is built; parameter problems are reported at once, by the helper that received them.
 *
 * @example
 * const flow = new FlowBuilder();
 * const bye = flow.ref("say-goodbye");
 * const end = flow.ref("end");
 * flow.messageParticipant("greet", { text: "Hello", next: bye, onError: end });
 * flow.messageParticipant("say-goodbye", { text: "Bye", next: end, onError: end });
 * flow.disconnectParticipant("end");
 * const json = flow.toJson();
 */
export class FlowBuilder {
  private readonly actions: FlowAction[] = [];
  private readonly refs = new Map<string, ActionRef>();
  private readonly defined = new Set<string>();
  private readonly problems: string[] = [];
  private start: ActionRef | undefined;

  constructor(private readonly options: FlowBuilderOptions = {}) {}

  /**
   * A reference to the action with this identifier, defined now or later (forward references make
   * cycles possible). Building fails if it is never defined.
   */
  ref(id: string): ActionRef {
    const existing = this.refs.get(id);
    if (existing) return existing;
    const problem = identifierProblem(id);
    if (problem) this.problems.push(problem);
    const ref = new ActionRef(id, this);
    this.refs.set(id, ref);
    return ref;
  }

  /**
   * Makes the referenced action the flow's StartAction.
   * @default the first action defined
   */
  startAt(ref: ActionRef): this {
    this.start = ref;
    return this;
  }

  /** Sends a message (MessageParticipant). */
  messageParticipant(id: string, input: MessageParticipantInput): ActionRef {
    return this.add(id, (link) => messageParticipant(id, input, link));
  }

  /** Collects DTMF input (GetParticipantInput): a menu key or stored digits. Voice only. */
  getParticipantInput(id: string, input: GetParticipantInputInput): ActionRef {
    return this.add(id, (link) => getParticipantInput(id, input, link));
  }

  /** Hands the turn to a Lex V2 bot (ConnectParticipantWithLexBot) and branches on the intent. */
  connectParticipantWithLexBot(id: string, input: ConnectParticipantWithLexBotInput): ActionRef {
    return this.add(id, (link) => connectParticipantWithLexBot(id, input, link));
  }

  /** Calls a Lambda function (InvokeLambdaFunction); results land in `$.External`. */
  invokeLambdaFunction(id: string, input: InvokeLambdaFunctionInput): ActionRef {
    return this.add(id, (link) => invokeLambdaFunction(id, input, link));
  }

  /** Branches on one value (Compare / Check contact attributes). */
  compare(id: string, input: CompareInput): ActionRef {
    return this.add(id, (link) => compare(id, input, link));
  }

  /** Counts rounds of a loop (Loop). */
  loop(id: string, input: LoopInput): ActionRef {
    return this.add(id, (link) => loop(id, input, link));
  }

  /** Pauses until a time limit or an event (Wait, chat). */
  wait(id: string, input: WaitInput): ActionRef {
    return this.add(id, (link) => wait(id, input, link));
  }

  /** Sets contact attributes (UpdateContactAttributes). */
  updateContactAttributes(id: string, input: UpdateContactAttributesInput): ActionRef {
    return this.add(id, (link) => updateContactAttributes(id, input, link));
  }

  /** Sets one event hook (UpdateContactEventHooks). */
  updateContactEventHooks(id: string, input: UpdateContactEventHooksInput): ActionRef {
    return this.add(id, (link) => updateContactEventHooks(id, input, link));
  }

  /** Shows a view (ShowView). */
  showView(id: string, input: ShowViewInput): ActionRef {
    return this.add(id, (link) => showView(id, input, link));
  }

  /** Creates a Q in Connect session (CreateWisdomSession); attach it with updateContactData. */
  createWisdomSession(id: string, input: CreateWisdomSessionInput): ActionRef {
    return this.add(id, (link) => createWisdomSession(id, input, link));
  }

  /** Updates contact properties (UpdateContactData). */
  updateContactData(id: string, input: UpdateContactDataInput): ActionRef {
    return this.add(id, (link) => updateContactData(id, input, link));
  }

  /** Sets the working queue (UpdateContactTargetQueue). */
  updateContactTargetQueue(id: string, input: UpdateContactTargetQueueInput): ActionRef {
    return this.add(id, (link) => updateContactTargetQueue(id, input, link));
  }

  /** Transfers to the working queue (TransferContactToQueue). */
  transferContactToQueue(id: string, input: TransferContactToQueueInput): ActionRef {
    return this.add(id, (link) => transferContactToQueue(id, input, link));
  }

  /** Ends the contact (DisconnectParticipant). */
  disconnectParticipant(id: string): ActionRef {
    return this.add(id, () => disconnectParticipant(id));
  }

  /** Ends a whisper, hold or queue flow (EndFlowExecution). */
  endFlowExecution(id: string): ActionRef {
    return this.add(id, () => endFlowExecution(id));
  }

  /** Turns flow logs on or off (UpdateFlowLoggingBehavior). */
  updateFlowLoggingBehavior(id: string, input: UpdateFlowLoggingBehaviorInput): ActionRef {
    return this.add(id, (link) => updateFlowLoggingBehavior(id, input, link));
  }

  /** Sets call recording and analytics (UpdateContactRecordingBehavior). */
  updateContactRecordingBehavior(id: string, input: UpdateContactRecordingBehaviorInput): ActionRef {
    return this.add(id, (link) => updateContactRecordingBehavior(id, input, link));
  }

  /** Sets the text-to-speech voice (UpdateContactTextToSpeechVoice). */
  updateContactTextToSpeechVoice(id: string, input: UpdateContactTextToSpeechVoiceInput): ActionRef {
    return this.add(id, (link) => updateContactTextToSpeechVoice(id, input, link));
  }

  /** Any other action type, with reference-checked transitions. */
  custom(id: string, input: CustomActionInput): ActionRef {
    return this.add(id, (link) => customAction(id, input, link));
  }

  /** The flow document; throws a {@link FlowBuildError} listing every identifier problem. */
  toDocument(): FlowDocument {
    const problems = [...this.problems];
    for (const [id, ref] of this.refs) {
      if (!this.defined.has(id)) problems.push(`reference "${ref.id}" is declared but no action with that identifier is defined`);
    }
    if (this.start && this.start.owner !== this) problems.push(`startAt() was given "${this.start.id}", a reference of another flow`);
    if (this.actions.length === 0) problems.push("the flow has no actions; define at least one");
    if (problems.length > 0) throw new FlowBuildError(problems);
    const startAction = this.start?.id ?? this.actions[0].Identifier;
    const actions = [...this.actions];
    return {
      Version: FLOW_LANGUAGE_VERSION,
      StartAction: startAction,
      ...(this.options.layout === false ? {} : { Metadata: layoutFlow(startAction, actions) }),
      Actions: actions,
      ...(this.options.moduleSettings ? { Settings: this.options.moduleSettings } : {}),
    };
  }

  /** The document as compact JSON: the `content` of `aws_connect_contact_flow`. */
  toJson(): string {
    return JSON.stringify(this.toDocument());
  }

  private add(id: string, encode: (link: Link) => KnownFlowAction | FlowAction): ActionRef {
    const ref = this.ref(id);
    const link: Link = (target) => {
      if (!(target instanceof ActionRef)) {
        throw new FlowInputError(`action "${id}": a transition target is ${JSON.stringify(target)}; pass a reference from flow.ref() or from the helper that defined the action`);
      }
      if (target.owner !== this) this.problems.push(`action "${id}" points at "${target.id}", a reference of another flow`);
      return target.id;
    };
    const action = encode(link);
    const empty = emptyStringPath(action.Parameters, "Parameters");
    if (empty) throw new FlowInputError(`${action.Type} "${id}": ${empty} is an empty string; the service refuses empty values: give a value or leave the key out`);
    if (this.defined.has(id)) {
      this.problems.push(`identifier "${id}" is defined twice (a ${this.actions.find((a) => a.Identifier === id)?.Type} and a ${action.Type}); give each action its own identifier`);
      return ref;
    }
    this.defined.add(id);
    this.actions.push(action);
    return ref;
  }
}
