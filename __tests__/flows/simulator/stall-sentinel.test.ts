import { execFileSync } from "node:child_process";
import { isDisturbed, STALL_SENTINEL_SOURCE, StallSentinel } from "../../../flows/simulator/integration/stall-sentinel";

/** Keeps the event loop busy for `ms` real milliseconds, as a descheduled or collecting process would. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 40));

test("the simulator's sentinel measures a pause of its process and keeps the largest of the hosts' reports", async () => {
  const sentinel = new StallSentinel();
  await tick();
  block(150);
  await tick();
  sentinel.observe(undefined);
  sentinel.observe(Number.NaN);
  const measured = sentinel.stop();
  expect(measured).toBeGreaterThanOrEqual(120);

  const withHost = new StallSentinel();
  withHost.observe(measured + 500);
  expect(withHost.stop()).toBe(measured + 500);
});

test("a host's sentinel (the source every function host runs first) reports its pause once, then starts over", () => {
  const program = `${STALL_SENTINEL_SOURCE}
    setTimeout(() => {
      const end = Date.now() + 150;
      while (Date.now() < end) {}
      setTimeout(() => {
        const first = globalThis.__stallSentinel();
        const second = globalThis.__stallSentinel();
        process.stdout.write(JSON.stringify({ first, second }));
      }, 30);
    }, 30);`;
  const { first, second } = JSON.parse(execFileSync(process.execPath, ["-e", program], { encoding: "utf8" })) as { first: number; second: number };
  expect(first).toBeGreaterThanOrEqual(120);
  expect(second).toBe(0);
});

test("a run is disturbed when its longest pause, times the speed, reaches the tolerance in contact time", () => {
  expect(isDisturbed({ largestStallRealMs: 50, speed: 20 })).toBe(true);
  expect(isDisturbed({ largestStallRealMs: 49, speed: 20 })).toBe(false);
  expect(isDisturbed({ largestStallRealMs: 300, speed: 1 })).toBe(false);
  expect(isDisturbed({ largestStallRealMs: 300, speed: 1 }, 250)).toBe(true);
});
