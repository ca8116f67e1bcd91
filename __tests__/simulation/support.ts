import { scenarioContext, scenarioNamed, type Channel } from "../../flows/simulator/integration/scenarios";
import { type ContactRun, type ContactScenario, type Simulation, type SimulationSetup, startSimulation } from "../../flows/simulator/integration/simulation";
import { isDisturbed } from "../../flows/simulator/integration/stall-sentinel";
import type { TurnReport } from "../../flows/simulator/integration/report";

/**
 * One simulation (synthesized environment, loopback services, function hosts) per test file or describe
 * block: started before its tests, stopped after them. Tests run contacts one after another.
 */
export function useSimulation(setup: SimulationSetup): () => Simulation {
  let simulation: Simulation | undefined;
  // Contacts run in scaled real time: on a busy machine the calibrated speed drops and they take longer.
  jest.setTimeout(240_000);
  beforeAll(async () => {
    simulation = await startSimulation(setup);
  }, 120_000);
  afterAll(async () => {
    await simulation?.stop();
  });
  return () => {
    if (!simulation) throw new Error("the simulation did not start (see beforeAll)");
    return simulation;
  };
}

/** The contact a named scenario defines for a channel of the running simulation. */
export function scenarioContact(simulation: Simulation, name: string, channel: Channel): ContactScenario {
  const contact = scenarioNamed(name).contact(scenarioContext(simulation.stack, channel));
  if (!contact) throw new Error(`scenario ${name} does not apply to the ${channel} channel of ${simulation.env.name}`);
  return contact;
}

/** Runs of a contact a machine pause disturbed (at half the speed each time) before its result is judged anyway. */
const DISTURBED_RERUNS = 2;
/** Real time a test may spend on reruns, well inside the test's time limit (see useSimulation). */
const RERUN_BUDGET_MS = 120_000;

export interface RunScenarioOptions {
  /**
   * Contact time a machine pause may count for before the run is judged disturbed: the test's own slack
   * for timing (a 40-turn chat with 8 s of allowance per turn tolerates more than a 4 s voice Invoke).
   * @default DEFAULT_STALL_TOLERANCE_MS (1 s)
   */
  readonly stallToleranceMs?: number;
}

/**
 * Runs a named scenario's contact and returns its run. When a pause of the machine counted for more
 * contact time than the test tolerates (`isDisturbed`: another suite's load on a 2-core CI machine,
 * multiplied by the speed), the run says more about the machine than the kit: the contact is built afresh
 * (its scripts keep state) and runs again at half the speed, at most twice and only while the reruns fit
 * in RERUN_BUDGET_MS (a slower run takes longer); the speed is restored afterwards. Every rerun is logged,
 * and a run that is still disturbed is returned as it is (its table shows the pause).
 */
export async function runScenario(simulation: Simulation, name: string, channel: Channel, options: RunScenarioOptions = {}): Promise<ContactRun> {
  const speed = simulation.speed;
  const started = performance.now();
  let run = await simulation.runContact(scenarioContact(simulation, name, channel));
  try {
    for (let rerun = 1; rerun <= DISTURBED_RERUNS && isDisturbed(run, options.stallToleranceMs) && simulation.speed > 1; rerun += 1) {
      const slower = Math.max(1, Math.floor(simulation.speed / 2));
      const expectedMs = (run.realMs * simulation.speed) / slower;
      const pause = `a ${run.largestStallRealMs} ms machine pause counted for ${(run.largestStallRealMs * run.speed) / 1000} s at speed ${run.speed}`;
      if (performance.now() - started + expectedMs > RERUN_BUDGET_MS) {
        console.warn(`${name} (${channel}): ${pause}; a rerun at speed ${slower} would take about ${Math.round(expectedMs / 1000)} s, more than the budget left: judging this run`);
        break;
      }
      console.warn(`${name} (${channel}): ${pause}; running it again at speed ${slower}`);
      await simulation.setSpeed(slower);
      run = await simulation.runContact(scenarioContact(simulation, name, channel));
    }
  } finally {
    if (simulation.speed !== speed) await simulation.setSpeed(speed);
  }
  return run;
}

/**
 * The most a Bedrock bridge turn's answer may come after the model's own answer time in these tests: the
 * handlers' real overhead (dynalite, HTTP, process IPC) multiplied by the speed. Measured at up to 20x on a
 * busy 2-core machine: 1.5-4.5 s. Q in Connect answers have none (the assistant is modelled).
 */
export const BRIDGE_OVERHEAD_MS = 8_000;

/** Runs assertions and, when one fails, adds the contact's per-turn table to the error. */
export function explain(run: ContactRun, assertions: () => void): void {
  try {
    assertions();
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message}\n\n${run.table()}`;
    throw error;
  }
}

/** Turn n (1-based) of a contact. */
export function turn(run: ContactRun, index: number): TurnReport {
  const found = run.turns.find((t) => t.index === index);
  if (!found) throw new Error(`contact has no turn ${index}`);
  return found;
}

/** Texts the customer saw in a turn (bot and flow messages), in order. */
export function seenTexts(report: TurnReport): string[] {
  return report.seen.filter((m) => m.from !== "agent-view").map((m) => m.text);
}

/** The bridge's settings.json as packaged for a function of the stack (messages, budgets). */
export function packagedSettings(simulation: Simulation): { messages: Record<string, Record<string, string>>; budgets: Record<string, number> } {
  const fn = simulation.stack.functions.find((f) => simulation.stack.packagedFile(f, "settings.json"));
  if (!fn) throw new Error("no function packages settings.json");
  return JSON.parse(simulation.stack.packagedFile(fn, "settings.json") ?? "{}");
}
