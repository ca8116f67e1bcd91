/**
 * Structure-aware mutation of JSON events for the fuzzer: a valid event (Lex V2, Connect, an async worker
 * event, a Terraform custom-resource input) with 1-3 of its fields deleted, nulled, retyped, replaced by
 * hostile strings, near-misses of their valid value, huge arrays or deep nesting, or with unknown fields
 * (`__proto__`, `constructor`, ...) added; now and then the whole event replaced by something that is
 * not an object. Only JSON values: that is what Lambda delivers.
 *
 * Every generated string that is not a near-miss of a valid value carries SENTINEL, so a request to AWS that
 * contains it carries input no handler validated (the fuzzer checks the requests the loopback services
 * receive).
 */
import type { Random } from "./random";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonPath = readonly (string | number)[];

/** Marks fuzzer-made strings (see the module comment). */
export const SENTINEL = "fz☠";

export interface Mutated {
  readonly event: Json;
  /** What was done, e.g. `set Details.Parameters.turnId = <string 100000 chars>`. */
  readonly description: string;
  /** Top-level field names the mutations touched ("<event>" when the whole event was replaced). */
  readonly touched: readonly string[];
  readonly replacedWhole: boolean;
}

function clone<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every path in a value (objects and arrays), the root excluded. */
export function pathsOf(value: Json, prefix: JsonPath = [], depth = 0): JsonPath[] {
  if (depth > 8) return [];
  const paths: JsonPath[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      paths.push([...prefix, index]);
      paths.push(...pathsOf(item, [...prefix, index], depth + 1));
    });
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      paths.push([...prefix, key]);
      paths.push(...pathsOf(value[key], [...prefix, key], depth + 1));
    }
  }
  return paths;
}

function getAt(root: Json, path: JsonPath): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === "number") node = node[key];
    else if (isObject(node) && typeof key === "string") node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    else return undefined;
  }
  return node;
}

/** Sets a property as an own, enumerable one (so "__proto__" is a key, not the prototype). */
function define(target: { [key: string]: Json } | Json[], key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function setAt(root: Json, path: JsonPath, value: Json): boolean {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if ((Array.isArray(parent) && typeof key === "number") || (isObject(parent) && typeof key === "string")) {
    define(parent, key, value);
    return true;
  }
  return false;
}

function deleteAt(root: Json, path: JsonPath): boolean {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (isObject(parent) && typeof key === "string") return delete parent[key];
  if (Array.isArray(parent) && typeof key === "number") {
    parent.splice(key, 1);
    return true;
  }
  return false;
}

export function hostileString(random: Random): string {
  const long = (n: number) => `${SENTINEL}${"x".repeat(n)}`;
  return random.pick([
    () => "",
    () => " ",
    () => "\u3000\t\n ",
    () => SENTINEL,
    () => long(random.pick([1_001, 10_000, 100_000, 400_000])),
    () => `${SENTINEL}\u0000\u0007\u001b[31m\u007f`,
    () => `${SENTINEL}\ud800`,
    () => `\udc00${SENTINEL}\ud83d`,
    () => `${SENTINEL}😀`.repeat(random.int(1, 400)),
    () => `${SENTINEL}\u202e\u200b\u200d\ufeff`,
    () => `'; DROP TABLE turns; -- ${SENTINEL}`,
    () => `{"$ne": null, "__proto__": {"admin": true}} ${SENTINEL}`,
    () => `../../etc/passwd${SENTINEL}`,
    () => `${SENTINEL}%00%2e%2e%2f`,
    () => `${SENTINEL}\r\nX-Injected: 1`,
    () => `\${jndi:ldap://x/${SENTINEL}}`,
    () => `<script>${SENTINEL}</script>`,
    () => `arn:aws:connect:us-east-1:111122223333:instance/${SENTINEL}`,
    () => `${SENTINEL}`.padEnd(random.int(2, 300), "あ"),
  ])();
}

function nearMiss(value: string, random: Random): string {
  if (!value) return random.pick([" ", "0", "\u0000"]);
  return random.pick([
    () => value.toUpperCase(),
    () => ` ${value} `,
    () => value.slice(0, Math.max(0, value.length - random.int(1, 5))),
    () => `${value}${value.slice(-1)}`,
    () => {
      const at = random.int(0, value.length - 1);
      return `${value.slice(0, at)}${random.pick(["-", "/", ":", "Z", "０", "\u00e9", "*", " "])}${value.slice(at + 1)}`;
    },
    () => value.replace(/[0-9a-f]/, "g"),
    () => `${value}${SENTINEL}`,
    () => value.normalize("NFKD").split("").reverse().join(""),
  ])();
}

function hostileValue(random: Random, current: Json | undefined): { value: Json; label: string } {
  const kind = random.weighted<string>([
    ["null", 8],
    ["number", 8],
    ["boolean", 4],
    ["string", 30],
    ["near-miss", typeof current === "string" ? 25 : 0],
    ["empty-array", 4],
    ["array-wrap", 5],
    ["big-array", 3],
    ["empty-object", 4],
    ["junk-object", 5],
    ["deep", 3],
  ]);
  switch (kind) {
    case "null":
      return { value: null, label: "null" };
    case "number": {
      const value = random.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, 42]);
      return { value, label: `number ${value}` };
    }
    case "boolean":
      return { value: random.chance(0.5), label: "boolean" };
    case "near-miss": {
      const value = nearMiss(current as string, random);
      return { value, label: `near miss ${JSON.stringify(value).slice(0, 60)}` };
    }
    case "empty-array":
      return { value: [], label: "[]" };
    case "array-wrap":
      return { value: [current ?? null], label: "wrapped in an array" };
    case "big-array": {
      const small = current !== undefined && JSON.stringify(current).length <= 200;
      const item = small ? current : random.pick<Json>([SENTINEL, 1, null, { a: SENTINEL }]);
      return { value: Array.from({ length: random.pick([101, 10_000]) }, () => item), label: "a big array" };
    }
    case "empty-object":
      return { value: {}, label: "{}" };
    case "junk-object": {
      const object: { [key: string]: Json } = {};
      define(object, random.pick(["__proto__", "constructor", "prototype", SENTINEL, "toString"]), hostileString(random));
      return { value: object, label: "a junk object" };
    }
    case "deep": {
      let value: Json = SENTINEL;
      const depth = random.pick([100, 2_000]);
      for (let i = 0; i < depth; i += 1) value = random.chance(0.5) ? [value] : { a: value };
      return { value, label: `nested ${depth} deep` };
    }
    default: {
      const value = hostileString(random);
      return { value, label: `string ${value.length > 60 ? `of ${value.length} chars` : JSON.stringify(value)}` };
    }
  }
}

const pathText = (path: JsonPath) => path.map((key) => (typeof key === "number" ? `[${key}]` : `.${key}`)).join("").replace(/^\./, "");

/** Largest event the fuzzer makes (JSON characters): Lambda takes payloads of up to 6 MB; Lex events are far smaller. */
export const MAX_EVENT_CHARS = 2_000_000;

/** One fuzz case from a valid event, at most MAX_EVENT_CHARS of JSON. */
export function mutate(base: Json, random: Random): Mutated {
  for (;;) {
    const mutated = mutateOnce(base, random);
    if ((JSON.stringify(mutated.event)?.length ?? 0) <= MAX_EVENT_CHARS) return mutated;
  }
}

function mutateOnce(base: Json, random: Random): Mutated {
  if (random.chance(0.03)) {
    const value = random.pick<Json>([null, 42, "FulfillmentCodeHook", true, [], [clone(base)], SENTINEL]);
    return { event: value, description: `the whole event replaced by ${JSON.stringify(value).slice(0, 60)}`, touched: ["<event>"], replacedWhole: true };
  }
  const event = clone(base);
  const steps: string[] = [];
  const touched = new Set<string>();
  const count = random.weighted([
    [1, 60],
    [2, 30],
    [3, 10],
  ]);
  for (let i = 0; i < count; i += 1) {
    const paths = pathsOf(event);
    const op = random.weighted<string>([
      ["replace", 70],
      ["delete", 18],
      ["extra", 12],
    ]);
    if (op === "extra" || !paths.length) {
      const parents = [[], ...paths.filter((path) => isObject(getAt(event, path)))] as JsonPath[];
      const parent = random.pick(parents);
      const key = random.pick(["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", SENTINEL, "extra"]);
      const target = getAt(event, parent);
      if (isObject(target)) {
        const { value, label } = hostileValue(random, undefined);
        define(target, key, value);
        steps.push(`add ${pathText([...parent, key])} = ${label}`);
        touched.add(String(parent[0] ?? key));
      }
      continue;
    }
    const path = random.pick(paths);
    touched.add(String(path[0]));
    if (op === "delete") {
      deleteAt(event, path);
      steps.push(`delete ${pathText(path)}`);
      continue;
    }
    const { value, label } = hostileValue(random, getAt(event, path));
    setAt(event, path, value);
    steps.push(`set ${pathText(path)} = ${label}`);
  }
  return { event, description: steps.join("; "), touched: [...touched], replacedWhole: false };
}
