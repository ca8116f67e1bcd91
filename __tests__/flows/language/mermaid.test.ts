import { FlowBuilder, flowToMermaid } from "../../../flows/language";
import { chatPollingFlow, greetingFlow } from "./support/sample-flows";

describe("Mermaid rendering", () => {
  const small = (() => {
    const flow = new FlowBuilder();
    const end = flow.ref("end");
    const sorry = flow.ref("say-sorry");
    flow.invokeLambdaFunction("poll-answer", {
      functionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:answer-poller",
      timeoutSeconds: 8,
      next: flow.ref("check-answer"),
      onError: sorry,
    });
    flow.compare("check-answer", { value: "$.External.status", branches: [{ operand: "READY", next: end }], onNoMatch: sorry });
    flow.messageParticipant("say-sorry", { text: 'Sorry, "that" failed <again>', next: end, onError: end });
    flow.disconnectParticipant("end");
    return flowToMermaid(flow.toDocument());
  })();
  const lines = small.trimEnd().split("\n");

  test("one node per action with its identifier, type and key parameter; Mermaid-safe node ids", () => {
    expect(lines[0]).toBe("flowchart TD");
    expect(lines).toContain("  start((Start)) --> a0");
    expect(lines).toContain('  a0["poll-answer<br/>InvokeLambdaFunction: answer-poller (8 s)"]');
    expect(lines).toContain('  a1{"check-answer<br/>Compare: $.External.status"}');
    expect(lines).toContain('  a2["say-sorry<br/>MessageParticipant: Sorry, #quot;that#quot; failed #lt;again#gt;"]');
    expect(lines).toContain('  a3(["end<br/>DisconnectParticipant"])');
  });

  test("edges labelled by operand, error type or next; errors dotted; a NextAction repeating a branch is not drawn twice", () => {
    const edges = lines.filter((l) => l.includes("-->|") || l.includes("-.->|"));
    expect(edges).toEqual([
      '  a0 -.->|"NoMatchingError"| a2',
      '  a0 -->|"next"| a1',
      '  a1 -->|"READY"| a3',
      '  a1 -.->|"NoMatchingCondition"| a2',
      '  a2 -.->|"NoMatchingError"| a3',
    ]);
  });

  test("deterministic, and a snapshot of a fuller flow", () => {
    expect(flowToMermaid(chatPollingFlow().toDocument())).toBe(flowToMermaid(chatPollingFlow().toDocument()));
    expect(flowToMermaid(chatPollingFlow().toDocument(), { direction: "LR" })).toMatchSnapshot();
  });

  test("loop counts and missing targets are shown", () => {
    const doc = greetingFlow().toDocument();
    const broken = { ...doc, Actions: [{ ...doc.Actions[0], Transitions: { NextAction: "gone" } }, doc.Actions[1]] };
    const text = flowToMermaid(broken);
    expect(text).toContain('  a0 -->|"next"| missing0');
    expect(text).toContain('  missing0[/"missing action gone"/]');
    expect(flowToMermaid(chatPollingFlow().toDocument())).toContain('a4["retry<br/>Loop: count 3"]');
  });
});
