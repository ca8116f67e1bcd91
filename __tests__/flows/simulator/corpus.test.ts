/**
 * Published flows (__tests__/fixtures/connect-flows, see its INDEX.md): every one parses (wrappers
 * unwrapped) and compiles; three simple ones run end to end with permissive fakes.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SIMULATED_ACTION_TYPES, assertCompleted, compileFlow, parseFlowDocument, simulateAgentUi, simulateContact } from "../../../flows/simulator";
import { fakeLambda, fakeLex } from "./support";

const FIXTURES = join(__dirname, "../../fixtures/connect-flows");

function read(dir: string, file: string): string {
  return readFileSync(join(FIXTURES, dir, file), "utf8");
}

function corpusFile(fragment: string): string {
  const file = readdirSync(join(FIXTURES, "corpus")).find((name) => name.includes(fragment));
  if (!file) throw new Error(`no corpus flow matches ${fragment}`);
  return read("corpus", file);
}

describe("published flows", () => {
  const files = [
    ...readdirSync(join(FIXTURES, "corpus")).map((file) => ["corpus", file]),
    ...readdirSync(join(FIXTURES, "examples")).map((file) => ["examples", file]),
  ].filter(([, file]) => !file.endsWith(".md"));

  it("all parse and compile, and the simulator executes most of their action types", () => {
    const types = new Map<string, number>();
    for (const [dir, file] of files) {
      const document = parseFlowDocument(read(dir, file));
      const compiled = compileFlow(document, file);
      expect(compiled.actions.has(document.StartAction)).toBe(true);
      for (const action of document.Actions) types.set(action.Type, (types.get(action.Type) ?? 0) + 1);
    }
    expect(files.length).toBeGreaterThanOrEqual(55);
    const covered = [...types].filter(([type]) => SIMULATED_ACTION_TYPES.includes(type)).reduce((sum, [, n]) => sum + n, 0);
    const total = [...types.values()].reduce((sum, n) => sum + n, 0);
    expect(covered / total).toBeGreaterThan(0.75);
  });

  it("interactive-messages chat flow (classic LexBot): Lex → Compare on $.Lex.Slots → working queue → transfer", async () => {
    const lex = fakeLex(() => ({ intentName: "ShowMenu", slots: { action: "Continue to agent" }, messages: [{ text: "Menu" }], durationMs: 700 }));
    const trace = assertCompleted(
      await simulateContact({
        flow: corpusFile("InteractiveMsg_ContactFlowLexV2_Export"),
        flowName: "interactive",
        contact: { contactId: "c-interactive", channel: "CHAT" },
        customer: ["help"],
        runtime: { lex: lex.model },
      }),
    );
    expect(lex.requests[0]).toMatchObject({ aliasArn: "lex-v1:us-west-2:InteractiveMessageBot:latest", input: "help" });
    expect(trace.steps.map((step) => [step.type, step.branch])).toEqual([
      ["UpdateFlowLoggingBehavior", "NextAction"],
      ["ConnectParticipantWithLexBot", "Error: NoMatchingCondition"],
      ["Compare", "Condition: Equals Continue to agent"],
      ["UpdateContactTargetQueue", "NextAction"],
      ["TransferContactToQueue", "End"],
    ]);
    expect(trace.outcome).toMatchObject({
      kind: "transferred",
      queue: { id: expect.stringMatching(/\/queue\/48e235a6-/) },
    });
  });

  it("agent-assist Q in Connect flow (voice): Wisdom session, contact data, Lambda, prompt, Lex", async () => {
    const { invoker, requests } = fakeLambda([{ result: { status: "OK" }, durationMs: 400 }]);
    const lex = fakeLex(() => ({ intentName: "AMAZON.QinConnectIntent", durationMs: 3000 }));
    const trace = assertCompleted(
      await simulateContact({
        flow: corpusFile("qic-agent-selection-contact-flow-sample"),
        contact: { contactId: "c-qic", channel: "VOICE", customerEndpoint: "+15555550100" },
        customer: [{ say: "my order", thinkMs: 1500 }],
        runtime: { lambda: invoker, lex: lex.model },
      }),
    );
    expect(requests[0].event.Details.Parameters).toEqual({ AI_AGENT_ID: "a3a98286-b008-48e0-8ea6-be1722e468ea:1" });
    expect(trace.settings.contactData.WisdomSessionArn).toMatch(/^arn:aws:wisdom:us-east-1:1234567890:session\/e04aaa02/);
    expect(trace.transcript.map((entry) => [entry.atMs, entry.from, entry.text])).toEqual([
      [400, "flow", "Thank you for calling. "],
      [400, "flow", "Please tell me how can i help? "],
      [1900, "customer", "my order"],
    ]);
    expect(trace.outcome).toMatchObject({ kind: "disconnected", atMs: 4900 });
  });

  it("step-by-step guide (agent UI flow): ShowView with the contact's attributes resolved into nested view data", async () => {
    const trace = assertCompleted(
      await simulateAgentUi({
        flow: corpusFile("SBS_Lex_Integration"),
        contact: {
          contactId: "c-guide",
          channel: "VOICE",
          attributes: { FirstName: "Ana", LastName: "Pérez", IntentName: "CancelFlight", CityArrival: "Lisbon", CityDeparture: "Porto" },
        },
      }),
    );
    expect(trace.views[0].data).toMatchObject({
      Heading: "Amazon Lex Integration ",
      Items: [
        { Heading: "First Name:", Description: "Ana" },
        { Heading: "Last Name:", Description: "Pérez" },
        { Description: "Lisbon" },
        { Description: "Porto" },
        {},
        { Description: "" },
      ],
      SubHeading: expect.stringMatching(/^Ana Pérez is using the Intent Name: CancelFlight intent/),
    });
    expect(trace.steps[0].unresolved).toEqual(["$.Attributes.ConfirmationNumber"]);
    expect(trace.outcome.kind).toBe("disconnected");
  });
});
