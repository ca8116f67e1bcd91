import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { allowedOf, environmentJsonSchema, OUTPUT, readSourceDocs, ReferenceBuilder, renderReference, run, typeOf } from "../../tools/config-reference";

describe("configuration reference (docs/configuration.md)", () => {
  test("is current: regenerate with `npx tsx tools/config-reference.ts` after changing config/schema", () => {
    const expected = renderReference();
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, "utf8") : "(missing)";
    // Compare line by line so a failure shows the stale lines, not two huge strings.
    expect(current.split("\n")).toEqual(expected.split("\n"));
  });

  test("--check fails on a stale file and passes on a fresh one; writing makes it fresh", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cc-config-ref-")), "configuration.md");
    const errors: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(run(["--check"], file)).toBe(1);
      expect(errors.join("\n")).toMatch(/configuration.md is missing: run "npx tsx tools\/config-reference.ts"/);
      expect(run([], file)).toBe(0);
      expect(run(["--check"], file)).toBe(0);
      fs.appendFileSync(file, "edited by hand\n");
      expect(run(["--check"], file)).toBe(1);
      expect(errors.join("\n")).toMatch(/is stale/);
      expect(run(["--fix"], file)).toBe(1);
    } finally {
      spy.mockRestore();
      log.mockRestore();
    }
  });

  test("every field has a description (a .describe() or a TSDoc comment in config/schema)", () => {
    const builder = new ReferenceBuilder(readSourceDocs());
    builder.walkObject(environmentJsonSchema(), "");
    expect(builder.rows.filter((r) => !r.description).map((r) => r.path)).toEqual([]);
  });

  test("rows carry type, default, bounds, patterns and where each comes from", () => {
    const builder = new ReferenceBuilder(readSourceDocs());
    builder.walkObject(environmentJsonSchema(), "");
    const row = (p: string, when?: string) => builder.rows.find((r) => r.path === p && (when === undefined || r.when === when));
    expect(row("name")).toMatchObject({ type: "string", required: true, allowed: "pattern `^[a-z][a-z0-9]{1,11}$`" });
    expect(row("name")?.description).toBe("Environment name; the stack is `contact-center-<name>`.");
    expect(row("namePrefix")).toMatchObject({ required: false, default: "cc" });
    expect(row("locales")).toMatchObject({ type: '("ja_JP" \\| "en_US")[]', default: ["ja_JP"], allowed: "at least 1 item" });
    expect(row("backend.bucket", 'type: "s3"')).toMatchObject({ required: true, description: "S3 bucket holding the state" });
    expect(row("backend.path", 'type: "local"')?.description).toMatch(/^State file path relative to the project root/);
    expect(row("bridge.poll.pollerBudgetMs")).toMatchObject({ type: "integer", default: 6500, allowed: "500-7000" });
    expect(row("bridge.models.chat")).toMatchObject({ type: "string", required: true });
    expect(row("lex.fulfillment.<engine>.<locale>.timeoutSeconds")).toMatchObject({ allowed: "1-900" });
    expect(row("smoke.ja_JP.questions[].expect")?.description).toMatch(/^pattern the answer must match/);
    expect(row("models.extra.<name>.expectedSeconds")).toMatchObject({ required: true, allowed: "> 0; at most 900" });
    expect(row("pipeline.smokeMode")).toMatchObject({ type: '"full" \\| "read-only"', default: "full" });
  });

  test("types and bounds from JSON Schema shapes", () => {
    expect(typeOf({ type: "object", additionalProperties: { type: "number" }, propertyNames: { type: "string" } })).toBe("map of string to number");
    expect(typeOf({ anyOf: [{ type: "string" }, { type: "number" }] })).toBe("string \\| number");
    expect(typeOf({ type: "string", format: "email" })).toBe("string (email)");
    expect(allowedOf({ type: "string", minLength: 3, maxLength: 3 })).toBe("exactly 3 characters");
    expect(allowedOf({ type: "array", maxItems: 5, items: { type: "string", pattern: "^a|b$" } })).toBe("at most 5 items; each: pattern `^a\\|b$`");
  });
});
