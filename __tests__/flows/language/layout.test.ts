import { FlowBuilder, type FlowLayoutMetadata, LAYOUT } from "../../../flows/language";
import { chatPollingFlow } from "./support/sample-flows";

function metadata(flow: FlowBuilder): FlowLayoutMetadata {
  return flow.toDocument().Metadata as FlowLayoutMetadata;
}

describe("automatic layout (console-style Metadata)", () => {
  const layout = metadata(chatPollingFlow());
  const positions = Object.entries(layout.ActionMetadata).map(([id, m]) => ({ id, ...m.position }));

  test("console shape: entryPointPosition and one ActionMetadata position per action, in Actions order", () => {
    expect(layout.entryPointPosition).toEqual(LAYOUT.entryPoint);
    expect(Object.keys(layout.ActionMetadata)).toEqual(chatPollingFlow().toDocument().Actions.map((a) => a.Identifier));
    for (const m of Object.values(layout.ActionMetadata)) expect(Object.keys(m)).toEqual(["position"]);
  });

  test("deterministic: the same flow gets the same positions", () => {
    expect(metadata(chatPollingFlow())).toEqual(layout);
  });

  test("no two actions share a position; columns are 280 px and rows 200 px apart", () => {
    expect(new Set(positions.map((p) => `${p.x},${p.y}`)).size).toBe(positions.length);
    for (const p of positions) {
      expect((p.x - LAYOUT.firstColumnX) % LAYOUT.columnWidth).toBe(0);
      expect((p.y - LAYOUT.entryPoint.y) % LAYOUT.rowHeight).toBe(0);
    }
  });

  test("columns follow the breadth-first distance from StartAction", () => {
    const column = (id: string) => (layout.ActionMetadata[id].position.x - LAYOUT.firstColumnX) / LAYOUT.columnWidth;
    expect(column("enable-logs")).toBe(0);
    expect(column("ask-bot")).toBe(1);
    expect(column("poll-answer")).toBe(2);
    expect(column("check-tool")).toBe(2);
    expect(column("check-answer")).toBe(3);
  });

  test("unreachable actions go in one extra column after the last", () => {
    const flow = new FlowBuilder();
    const end = flow.ref("end");
    flow.messageParticipant("greet", { text: "Hi", next: end, onError: end });
    flow.disconnectParticipant("end");
    flow.disconnectParticipant("orphan");
    const m = metadata(flow).ActionMetadata;
    expect(m.orphan.position.x).toBe(LAYOUT.firstColumnX + 2 * LAYOUT.columnWidth);
  });

  test("layout: false leaves Metadata out", () => {
    const flow = new FlowBuilder({ layout: false });
    flow.disconnectParticipant("end");
    expect(flow.toDocument().Metadata).toBeUndefined();
  });
});
