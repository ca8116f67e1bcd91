/**
 * # The simulator on the real stack
 *
 * Runs contacts through an environment's **synthesized** flows (the `content` of each
 * `aws_connect_contact_flow` in cdk.tf.json) with the kit's **real handlers**, offline:
 *
 * ```ts
 * const simulation = await startSimulation({ environment: "dev", speed: 20 });
 * const run = await simulation.runContact({
 *   channel: "chat",
 *   customer: [{ say: "営業時間は？", thinkMs: 2_000 }, { disconnect: true, thinkMs: 3_000 }],
 *   bedrock: () => ({ latencyMs: 25_000 }),          // or throttle / server-error / hang / handoff / complete
 * });
 * run.turns[1].answer;                               // { text, atMs, latencyMs } in virtual ms
 * console.log(run.table());                          // per-turn table
 * await simulation.stop();
 * ```
 * `runScenario(env, name)` runs a named scenario (scenarios.ts) on every channel it applies to; the CLI
 * `npx tsx flows/cli/simulate.ts <env> <scenario>` prints its tables.
 *
 * ## What is real, what is modelled
 *
 * - **Flows**: the synthesized JSON is the only source of behaviour. Its Terraform interpolations are
 *   replaced by identifiers of simulated resources (a Lambda ARN from the function's `function_name`,
 *   deterministic UUIDs and Lex ids per address, the view version ARN, the assistant ARN, the instance or
 *   `data.aws_connect_instance` ARN) that the runtime maps back to the stack's resources
 *   (synthesized-stack.ts).
 * - **Lambda functions** are the real handlers: the packages the stack deploys (the synthesized zips with
 *   their settings.json) or, with `target: "source"`, the TypeScript sources (tsx) with the packaged
 *   settings.json. Each runs in a Node process of its own, warm (function-host.ts). DynamoDB is dynalite
 *   with the synthesized table name and key; Bedrock Runtime the loopback HTTP/2 endpoint (bedrock.ts);
 *   asynchronous Invoke the loopback Lambda endpoint, which runs the worker's host; Q in Connect's
 *   UpdateSession a loopback REST-JSON server. Connect retries throttled and 5xx flow Lambda calls 3 times.
 * - **Lex** is modelled from the synthesized bot definition (lex-bot.ts): exact sample-utterance matching
 *   (TalkToAgent and its closing response), the fallback intent's code hook (the real lex-fulfillment with
 *   a Lex V2 event), the FulfillmentCodeHook's progress updates on voice, timeout and failure responses,
 *   and Connect's chat limit (10 s, 60 s with message streaming, which the stack's chat-message-streaming
 *   custom resource turns on).
 * - **Q in Connect**'s self-service answers come from a script (q-in-connect.ts): an answer, HANDOFF with the
 *   four summary fields, COMPLETE or a failure per turn, after a latency that defaults to the catalogue's
 *   expected time of the AI agent qconnect-session selected (the latency budget's figure).
 *
 * Not modelled: Lex's statistical NLU, barge-in and DTMF; Q in Connect's retrieval and prompts; Lambda
 * cold starts (hosts are warmed with a throwaway contact first), concurrency limits (except as injected
 * throttling) and function timeouts (reported to handlers, not enforced: Connect's block limits are);
 * IAM; DynamoDB TTL deletion; Connect's own per-block latency. Hosts serve overlapping invocations
 * concurrently, unlike Lambda's one invocation per environment.
 *
 * ## Time
 *
 * The handlers use real timers and real network calls; the simulator's clock is virtual. They meet in a
 * time scale (time-scale.ts) with `speed` virtual ms per real ms:
 *
 * - Every host's clocks (`Date`, timers, `AbortSignal.timeout`, `performance.now`) are warped by the same
 *   factor, so every time constant of the handlers (settings.json budgets, safety margins, back-offs, the
 *   SDK's time-outs) keeps its value and takes 1/speed of real time. Nothing is rescaled in settings.json.
 * - The simulator measures each side effect in scaled real time; Bedrock and Q in Connect latencies are
 *   scripted in virtual ms and waited as latency / speed.
 * - While **no handler invocation runs**, the clock jumps straight to the next thing due (a customer's
 *   message, a Wait block, Q in Connect's answer, a time limit) and moves every host's clock with it:
 *   idle time costs no real time (a Q in Connect contact of a minute takes ~0.1 s).
 * - The speed is **calibrated**: after warming up, the simulation times a host round trip plus a DynamoDB
 *   read and lowers the speed (from `speed`, default 20) until they count for at most 100 ms of virtual
 *   time, so a busy machine runs slower instead of timing out. `calibrate: false` keeps the given speed;
 *   speed 1 runs in real time, exactly.
 *
 * The error: real work is not modelled time, so while handlers run, their real overhead (dynalite and
 * HTTP round trips, process IPC, JSON, the simulator's own steps) is multiplied by the speed. Measured on
 * 2 cores, a bridge chat turn with a 3 s model answer delivered the answer 0.14-0.24 s after the model
 * time at speed 1, 0.4-1.0 s at speed 5 and 1.5-3.5 s at speed 20; lex-fulfillment's interim reply took
 * 0.02-0.06 s, 0.1-0.4 s and 0.3-1.0 s. Times in the trace are virtual; ContactRun.speed and the table
 * header say which speed a run used.
 * - A pause of the machine (another process's load, a garbage collection) is multiplied the same way: a
 *   sentinel timer in the simulator and every host measures the longest one during a contact
 *   (ContactRun.largestStallRealMs, stall-sentinel.ts). `isDisturbed(run)` says whether it counted for a
 *   second of contact time or more; the tests then run that contact again at half the speed
 *   (Simulation.setSpeed) rather than judge the kit by the machine.
 */
export { type BedrockCall, type BedrockCallRecord, type BedrockOutcome, type BedrockScript, defaultAnswer } from "./bedrock";
export { type DynamoRequest, DynamoCounter } from "./dynamo-counter";
export { FunctionHost, type HostInvocation, type HostTarget } from "./function-host";
export { codeHookEvent, type FulfillmentSpec, fulfillmentSpec, LexBots, type LexTurnRecord, normalizeUtterance, progressMessages } from "./lex-bot";
export {
  Q_IN_CONNECT_ATTRIBUTE,
  type QInConnectAgent,
  QInConnectFake,
  type QInConnectReply,
  type QInConnectScript,
  type QInConnectTurn,
  type QInConnectTurnRecord,
} from "./q-in-connect";
export { contactTable, type SeenMessage, type TurnReport, turnReports } from "./report";
export {
  type Channel,
  runScenario,
  type ScenarioContext,
  type ScenarioDefinition,
  SCENARIOS,
  type ScenarioRun,
  type ScenarioRunOptions,
  scenarioContext,
  scenarioNamed,
  talkToAgentUtterance,
} from "./scenarios";
export {
  type BedrockRecord,
  type ContactRun,
  type ContactScenario,
  type DynamoRecord,
  environmentFor,
  type InvocationRecord,
  type InvokeCall,
  Simulation,
  type SimulationSetup,
  startSimulation,
} from "./simulation";
export {
  type BotIntentDefinition,
  type FlowRole,
  type ResourceRef,
  type StackBot,
  type StackFlow,
  type StackFunction,
  SynthesizedEnvironment,
  TerraformModel,
  UnsupportedInterpolationError,
  uuidFrom,
} from "./synthesized-stack";
export { DEFAULT_STALL_TOLERANCE_MS, isDisturbed, STALL_SENTINEL_SOURCE, STALL_TICK_MS, StallSentinel } from "./stall-sentinel";
export { type ClockJumper, ContactClock, TimeScale, TIME_WARP_SOURCE, type Warp } from "./time-scale";
