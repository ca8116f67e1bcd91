import { assertCompleted, simulateContact } from "../../../flows/simulator";
import { CHAT, compare, disconnect, flow, loop, message, setAttributes } from "./support";

/**
 * Reference §4.6: the Loop counter belongs to the action Identifier, per contact; it survives leaving the
 * loop and coming back, returns ContinueLooping LoopCount times, then DoneLooping once, then resets.
 */
describe("Loop", () => {
  // start -> retry(Loop 3) --continue--> say -> retry ... --done--> phase check
  // phase check: first time through, set phase=2 and enter `retry` again; the second time, end.
  const twoEntries = flow("retry", [
    loop("retry", "3", "say", "phase"),
    message("say", "try $.Attributes.phase", "retry"),
    compare("phase", "$.Attributes.phase", [["Equals", "2", "end"]], "setPhase"),
    setAttributes("setPhase", { phase: "2" }, "retry"),
    disconnect("end"),
  ]);

  it("returns ContinueLooping LoopCount times, then DoneLooping once, then resets (counted per Identifier, per contact)", async () => {
    const trace = assertCompleted(await simulateContact({ flow: twoEntries, contact: CHAT }));
    const loopResults = trace.steps.filter((step) => step.actionId === "retry").map((step) => step.result);
    // First entry: 3 continues + done; the counter reset, so the second entry again runs 3 + done.
    expect(loopResults).toEqual([
      "ContinueLooping", "ContinueLooping", "ContinueLooping", "DoneLooping",
      "ContinueLooping", "ContinueLooping", "ContinueLooping", "DoneLooping",
    ]);
    expect(trace.steps.filter((step) => step.actionId === "retry").map((step) => step.note)).toEqual([
      "iteration 1 of 3", "iteration 2 of 3", "iteration 3 of 3", "done after 3; counter reset",
      "iteration 1 of 3", "iteration 2 of 3", "iteration 3 of 3", "done after 3; counter reset",
    ]);
    expect(trace.outcome.kind).toBe("disconnected");
  });

  it("carries the counter over when the flow leaves the loop before it is done and enters it again", async () => {
    // retry(Loop 3) --continue--> count (Compare: leave after the 2nd continue) --> out -> retry again.
    // The second entry continues from 2: one more ContinueLooping, then DoneLooping.
    const leaveEarly = flow("retry", [
      loop("retry", "3", "count", "end"),
      compare("count", "$.Attributes.n", [["Equals", "1", "second"]], "first"),
      setAttributes("first", { n: "1" }, "retry"),
      setAttributes("second", { n: "2" }, "out"),
      message("out", "left the loop", "retry"),
      disconnect("end"),
    ]);
    const trace = assertCompleted(await simulateContact({ flow: leaveEarly, contact: CHAT }));
    const loopSteps = trace.steps.filter((step) => step.actionId === "retry");
    expect(loopSteps.map((step) => step.result)).toEqual(["ContinueLooping", "ContinueLooping", "ContinueLooping", "DoneLooping"]);
    expect(loopSteps.map((step) => step.note)).toEqual(["iteration 1 of 3", "iteration 2 of 3", "iteration 3 of 3", "done after 3; counter reset"]);
    // Between the 2nd and 3rd Loop run the flow left the loop (message "left the loop").
    const order = trace.steps.map((step) => step.actionId);
    expect(order.indexOf("out")).toBeLessThan(order.lastIndexOf("retry"));
    expect(order.indexOf("out")).toBeGreaterThan(order.indexOf("retry"));
  });

  it("keeps counters apart per contact: a second contact starts from zero", async () => {
    const once = flow("retry", [loop("retry", "2", "end", "end"), disconnect("end")]);
    const first = await simulateContact({ flow: once, contact: CHAT });
    const second = await simulateContact({ flow: once, contact: { ...CHAT, contactId: "other" } });
    expect(first.steps[0].result).toBe("ContinueLooping");
    expect(second.steps[0].result).toBe("ContinueLooping");
    expect(second.steps[0].note).toBe("iteration 1 of 2");
  });

  it("takes DoneLooping at once with LoopCount 0, and resolves a dynamic LoopCount", async () => {
    const zero = await simulateContact({ flow: flow("l", [loop("l", "0", "end", "end"), disconnect("end")]), contact: CHAT });
    expect(zero.steps[0].result).toBe("DoneLooping");
    const dynamic = await simulateContact({
      flow: flow("l", [loop("l", "$.Attributes.tries", "l", "end"), disconnect("end")]),
      contact: { ...CHAT, attributes: { tries: "2" } },
    });
    expect(dynamic.steps.map((step) => step.result)).toEqual(["ContinueLooping", "ContinueLooping", "DoneLooping", undefined]);
  });
});
