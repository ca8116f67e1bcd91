import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { buildPackage, FUNCTIONS_DIR, functionSources } from "../../stacks/lambda/bundle";
import { zipFiles } from "../../stacks/lambda/zip";

/** Reads a zip through its central directory (what Lambda's unzip does). */
function unzip(zip: Buffer): Record<string, { data: Buffer; mode: number }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const files: Record<string, { data: Buffer; mode: number }> = {};
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
    const size = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const mode = zip.readUInt32LE(offset + 38) >>> 16;
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zlib.inflateRawSync(zip.subarray(dataStart, dataStart + size));
    expect(zlib.crc32(data)).toBe(zip.readUInt32LE(offset + 16));
    files[name] = { data, mode };
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return files;
}

describe("function packages", () => {
  test("zips are deterministic and readable: same files, same bytes; entries sorted, mode 0644", () => {
    const files = { "settings.json": Buffer.from('{"a":1}'), "index.js": Buffer.from("exports.handler = async () => 1;\n".repeat(50)) };
    const first = zipFiles(files);
    expect(zipFiles({ "index.js": files["index.js"], "settings.json": files["settings.json"] }).equals(first)).toBe(true);
    const read = unzip(first);
    expect(Object.keys(read)).toEqual(["index.js", "settings.json"]);
    expect(read["index.js"].data.equals(files["index.js"])).toBe(true);
    expect(read["settings.json"].mode).toBe(0o100644);
    expect(first.length).toBeLessThan(files["index.js"].length);
  });

  test("a package holds the bundled handler and its extra files; its hash is the zip's base64 SHA-256", () => {
    const pkg = buildPackage("answer-poller", { "settings.json": '{"version":1}' });
    const zip = fs.readFileSync(pkg.zipPath);
    expect(crypto.createHash("sha256").update(zip).digest("base64")).toBe(pkg.sha256);
    const files = unzip(zip);
    expect(Object.keys(files)).toEqual(["index.js", "settings.json"]);
    expect(files["index.js"].data.toString("utf8")).toMatch(/exports|module\.exports/);
    expect(buildPackage("answer-poller", { "settings.json": '{"version":1}' }).zipPath).toBe(pkg.zipPath);
    expect(buildPackage("answer-poller", { "settings.json": '{"version":2}' }).sha256).not.toBe(pkg.sha256);
  });

  test("a bundled handler loads and exports handler (the AWS SDK is bundled, nothing resolved at run time)", () => {
    const pkg = buildPackage("qconnect-session");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-bundle-"));
    fs.writeFileSync(path.join(dir, "index.js"), unzip(fs.readFileSync(pkg.zipPath))["index.js"].data);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the built artifact is the point
    expect(typeof require(path.join(dir, "index.js")).handler).toBe("function");
  });

  test("every function folder is bundled, and no function imports kit code outside functions/ at run time", () => {
    expect(functionSources()).toEqual([
      "answer-poller",
      "assistant-default-agent",
      "bedrock-worker",
      "chat-message-streaming",
      "lex-fulfillment",
      "phone-number-flow",
      "qconnect-session",
    ]);
    // The bundle cache is keyed by the files under functions/: a value import from elsewhere would go stale.
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith(".ts")) {
          for (const match of fs.readFileSync(full, "utf8").matchAll(/^import (?!type )[^;]*from "(\.\.\/[^"]+)"/gm)) {
            if (!path.resolve(path.dirname(full), match[1]).startsWith(FUNCTIONS_DIR)) offenders.push(`${full}: ${match[1]}`);
          }
        }
      }
    };
    walk(FUNCTIONS_DIR);
    expect(offenders).toEqual([]);
  });
});
