import * as fs from "node:fs";
import * as path from "node:path";
import { readmeDiagrams, renderReadme } from "../../tools/flow-diagrams";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

test("the README's flow diagrams are the current rendering of the chat and voice modules (npm run docs:flows)", () => {
  expect(renderReadme(README)).toBe(README);
});

test("the diagrams show the poll loop and the handoff path", () => {
  const { "chat-poll": chat, voice } = readmeDiagrams();
  expect(chat).toMatch(/^flowchart TD/);
  for (const id of ["poll-answer", "poll-status", "poll-limit", "poll-retry-wait-1", "handoff-transfer", "lex-answer"]) expect(chat).toContain(id);
  for (const id of ["create-q-session", "select-ai-agent", "set-voice", "handoff-transfer"]) expect(voice).toContain(id);
});

test("a stale README is detected", () => {
  const stale = README.replace(/(<!-- flow-diagram:voice -->\n```mermaid\n)/, "$1%% edited by hand\n");
  expect(renderReadme(stale)).not.toBe(stale);
});
