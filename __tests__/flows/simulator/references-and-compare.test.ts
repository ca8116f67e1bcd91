import {
  ReferenceResolver,
  assertCompleted,
  evaluateCondition,
  parseReference,
  simulateContact,
} from "../../../flows/simulator";
import { CHAT, VOICE, compare, disconnect, fakeLambda, flow, lambda, message, setAttributes } from "./support";

describe("references (reference §3)", () => {
  const root = {
    ContactId: "c-1",
    Attributes: { name: "Ana", "user name": "Ana P." },
    External: { customer: { tier: "gold" }, rows: [{ id: "r1" }] },
    Lex: { SessionAttributes: { "x-amz-lex:q-in-connect:session-arn": "arn:s" } },
  };

  it("parses one-reference values in dot and bracket forms", () => {
    expect(parseReference("$.Attributes.name")).toEqual(["Attributes", "name"]);
    expect(parseReference("$.Attributes.['user name']")).toEqual(["Attributes", "user name"]);
    expect(parseReference("$.Lex.SessionAttributes['x-amz-lex:q-in-connect:session-arn']")).toEqual([
      "Lex",
      "SessionAttributes",
      "x-amz-lex:q-in-connect:session-arn",
    ]);
    expect(parseReference("$.External.rows.0.id")).toEqual(["External", "rows", "0", "id"]);
    expect(parseReference("Hello $.Attributes.name")).toBeUndefined();
    expect(parseReference("gold")).toBeUndefined();
  });

  it("resolves a one-reference value to the value itself (objects too) and reports missing ones", () => {
    const resolver = new ReferenceResolver(root);
    expect(resolver.value("$.External.customer")).toEqual({ tier: "gold" });
    expect(resolver.value("$.External.rows.0.id")).toBe("r1");
    expect(resolver.value("$.Lex.SessionAttributes['x-amz-lex:q-in-connect:session-arn']")).toBe("arn:s");
    expect(resolver.value("$.Attributes.missing")).toBeUndefined();
    expect(resolver.unresolved).toEqual(["$.Attributes.missing"]);
  });

  it("replaces every reference inside free text, missing ones by the empty string", () => {
    const resolver = new ReferenceResolver(root);
    expect(resolver.text("Hello, $.Attributes.name. Tier: $.External.customer.tier, id $.Attributes.nope!")).toBe(
      "Hello, Ana. Tier: gold, id !",
    );
    expect(resolver.text("Dear $.Attributes.['user name'], costs $.50")).toBe("Dear Ana P., costs $.50");
    expect(resolver.unresolved).toEqual(["$.Attributes.nope"]);
  });

  it("resolves nested objects and arrays recursively (ViewData shapes)", () => {
    const resolver = new ReferenceResolver(root);
    expect(resolver.value({ Heading: "$.Attributes.name", Items: [{ Description: "id $.External.rows.0.id" }, {}] })).toEqual({
      Heading: "Ana",
      Items: [{ Description: "id r1" }, {}],
    });
  });

  it("substitutes references in a flow's message text and records what did not resolve per step", async () => {
    const document = flow("set", [
      setAttributes("set", { greeting: "Hi $.Attributes.customerName", channelCopy: "$.Channel" }, "say"),
      message("say", "$.Attributes.greeting on $.Attributes.channelCopy ($.CustomerEndpoint.Address) $.Attributes.nothing", "end"),
      disconnect(),
    ]);
    const trace = assertCompleted(
      await simulateContact({ flow: document, contact: { ...VOICE, attributes: { customerName: "Ana" } } }),
    );
    expect(trace.transcript.map((entry) => entry.text)).toEqual(["Hi Ana on VOICE (+442071234567) "]);
    expect(trace.steps[1].unresolved).toEqual(["$.Attributes.nothing"]);
    expect(trace.steps[0].unresolved).toEqual([]);
    expect(trace.attributes).toEqual({ customerName: "Ana", greeting: "Hi Ana", channelCopy: "VOICE" });
  });
});

describe("Compare (reference §4.5, operators §2 and §9.1)", () => {
  it.each([
    ["Equals", "gold", "gold", true],
    ["Equals", "gold", "Gold", false],
    ["TextStartsWith", "gold-plus", "gold", true],
    ["TextEndsWith", "gold-plus", "plus", true],
    ["TextContains", "gold-plus", "d-p", true],
    ["TextContains", "gold", "x", false],
    ["NumberGreaterThan", "10", "9", true],
    ["NumberGreaterThan", "9", "10", false],
    ["NumberGreaterOrEqualTo", "10", "10", true],
    ["NumberLessThan", "2.5", "3", true],
    ["NumberLessOrEqualTo", "3", "3", true],
    ["NumberLessThan", "abc", "3", false],
    ["NumberGreaterThan", "", "-1", false],
  ])("%s(%j, %j) is %s", (operator, value, operand, expected) => {
    expect(evaluateCondition(value, operator, operand)).toBe(expected);
  });

  it("KeyExists is true when an object-valued result has the key", () => {
    expect(evaluateCondition({ tier: "gold" }, "KeyExists", "tier")).toBe(true);
    expect(evaluateCondition({ tier: "gold" }, "KeyExists", "name")).toBe(false);
    expect(evaluateCondition("tier", "KeyExists", "tier")).toBe(false);
  });

  it("refuses an operator the language does not have", () => {
    expect(() => evaluateCondition("a", "And", "a")).toThrow(/unknown condition operator "And"/);
  });

  const branches = flow("check", [
    compare(
      "check",
      "$.Attributes.score",
      [
        ["NumberGreaterOrEqualTo", "90", "high"],
        ["NumberGreaterOrEqualTo", "50", "mid"],
        ["TextStartsWith", "n/", "na"],
      ],
      "other",
    ),
    message("high", "high", "end"),
    message("mid", "mid", "end"),
    message("na", "not applicable", "end"),
    message("other", "other", "end"),
    disconnect(),
  ]);

  it.each([
    ["95", "high", "Condition: NumberGreaterOrEqualTo 90"],
    ["90", "high", "Condition: NumberGreaterOrEqualTo 90"],
    ["60", "mid", "Condition: NumberGreaterOrEqualTo 50"],
    ["n/a", "na", "Condition: TextStartsWith n/"],
    ["10", "other", "Error: NoMatchingCondition"],
  ])("score %s: the first true condition wins (→ %s)", async (score, target, branch) => {
    const trace = await simulateContact({ flow: branches, contact: { ...CHAT, attributes: { score } } });
    expect(trace.steps[0]).toMatchObject({ actionId: "check", branch, nextAction: target, result: score });
  });

  it("compares an unresolved reference as the empty string (NoMatchingCondition)", async () => {
    const trace = await simulateContact({ flow: branches, contact: CHAT });
    expect(trace.steps[0]).toMatchObject({ branch: "Error: NoMatchingCondition", unresolved: ["$.Attributes.score"] });
  });

  it("KeyExists on a JSON Lambda result", async () => {
    const document = flow("fn", [
      lambda("fn", "check", "end", { ResponseValidation: { ResponseType: "JSON" } }),
      compare("check", "$.External.customer", [["KeyExists", "tier", "tier"]], "none"),
      message("tier", "tier $.External.customer.tier", "end"),
      message("none", "none", "end"),
      disconnect(),
    ]);
    const { invoker } = fakeLambda([{ result: { customer: { tier: "gold" } }, durationMs: 100 }]);
    const trace = assertCompleted(await simulateContact({ flow: document, contact: CHAT, runtime: { lambda: invoker } }));
    expect(trace.transcript.map((entry) => entry.text)).toEqual(["tier gold"]);
  });
});
