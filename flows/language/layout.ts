/**
 * A console-style layout so a flow opens tidily in the Connect flow designer: actions are placed in
 * columns by their breadth-first distance from StartAction and in rows by discovery order. Actions no
 * transition reaches go in one extra column at the end. Same document in, same positions out.
 */
import { successors } from "./graph";
import type { FlowAction, FlowLayoutMetadata, FlowPosition } from "./wire";

export const LAYOUT = {
  entryPoint: { x: 40, y: 40 },
  firstColumnX: 240,
  columnWidth: 280,
  rowHeight: 200,
} as const;

export function layoutFlow(startAction: string, actions: readonly FlowAction[]): FlowLayoutMetadata {
  const byId = new Map(actions.map((a) => [a.Identifier, a]));
  const column = new Map<string, number>();
  const queue: string[] = [];
  if (byId.has(startAction)) {
    column.set(startAction, 0);
    queue.push(startAction);
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const target of successors(byId.get(id) as FlowAction)) {
      if (byId.has(target) && !column.has(target)) {
        column.set(target, (column.get(id) as number) + 1);
        queue.push(target);
      }
    }
  }
  const orphanColumn = queue.length > 0 ? Math.max(...column.values()) + 1 : 0;
  const order = [...queue, ...actions.map((a) => a.Identifier).filter((id) => !column.has(id))];
  const rowsUsed = new Map<number, number>();
  const positions: Record<string, { position: FlowPosition }> = {};
  for (const id of order) {
    const col = column.get(id) ?? orphanColumn;
    const row = rowsUsed.get(col) ?? 0;
    rowsUsed.set(col, row + 1);
    positions[id] = {
      position: { x: LAYOUT.firstColumnX + col * LAYOUT.columnWidth, y: LAYOUT.entryPoint.y + row * LAYOUT.rowHeight },
    };
  }
  // ActionMetadata keys follow the Actions order, so their order never depends on the routes.
  const ordered = Object.fromEntries(actions.filter((a) => positions[a.Identifier]).map((a) => [a.Identifier, positions[a.Identifier]]));
  return { entryPointPosition: { ...LAYOUT.entryPoint }, ActionMetadata: ordered };
}
