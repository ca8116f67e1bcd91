import { createLogger, errorFields, setLogSink } from "../../../functions/shared/log";

/** Error fields: name, message and HTTP status for every line; the stack on error lines only, never in the fields. */

function capture(run: () => void): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const previous = setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  try {
    run();
  } finally {
    setLogSink(previous);
  }
  return lines;
}

function awsError(): Error {
  const error = new Error("Rate exceeded");
  error.name = "ThrottlingException";
  Object.assign(error, { $metadata: { httpStatusCode: 429 } });
  return error;
}

test("error lines carry the stack of the error given through errorFields", () => {
  const error = awsError();
  const [line] = capture(() => createLogger("svc").child({ contactId: "c-1" }).error("call failed", { attempt: 2, ...errorFields(error) }));
  expect(line).toMatchObject({ level: "error", service: "svc", message: "call failed", contactId: "c-1", attempt: 2, errorName: "ThrottlingException", errorMessage: "Rate exceeded", httpStatus: 429 });
  expect(line.errorStack).toBe(error.stack);
  expect(line.errorStack).toMatch(/log\.test\.ts:\d+:\d+/);
});

test("warn and info lines keep name and message but no stack", () => {
  const lines = capture(() => {
    const log = createLogger("svc");
    log.warn("retrying", errorFields(awsError()));
    log.info("already absent", errorFields(awsError()));
  });
  expect(lines).toHaveLength(2);
  for (const line of lines) {
    expect(line).toMatchObject({ errorName: "ThrottlingException", errorMessage: "Rate exceeded", httpStatus: 429 });
    expect(line).not.toHaveProperty("errorStack");
  }
});

test("the fields themselves never hold the stack, so messages built from them cannot show it to users", () => {
  const fields = errorFields(awsError());
  expect(Object.keys(fields)).toEqual(["errorName", "errorMessage", "httpStatus"]);
  expect(JSON.stringify(fields)).toBe('{"errorName":"ThrottlingException","errorMessage":"Rate exceeded","httpStatus":429}');
  expect(`${String(fields.errorName)}: ${String(fields.errorMessage)}`).toBe("ThrottlingException: Rate exceeded");
  expect(Object.values(fields).join(" ")).not.toMatch(/\bat\b|\.ts:/);
});

test("thrown non-errors and errors without a stack log without errorStack", () => {
  const stackless = new Error("no stack");
  Object.defineProperty(stackless, "stack", { value: undefined });
  const lines = capture(() => {
    const log = createLogger("svc");
    log.error("odd throw", errorFields("just a string"));
    log.error("stackless", errorFields(stackless));
  });
  expect(lines[0]).toMatchObject({ errorName: "NonError", errorMessage: "just a string" });
  expect(lines[0]).not.toHaveProperty("errorStack");
  expect(lines[1]).toMatchObject({ errorName: "Error", errorMessage: "no stack" });
  expect(lines[1]).not.toHaveProperty("errorStack");
});
