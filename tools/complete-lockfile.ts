/**
 * Adds lock-file entries for optional platform packages (native binaries for other operating systems)
 * that npm left out because the registry it used did not serve them. Without the entries `npm ci`
 * refuses the lock file ("Missing: @swc/core-darwin-arm64 from lock file"); with them, npm skips the
 * packages that do not match the platform and fetches the matching one by version elsewhere.
 *
 * Usage, after `npm install` changed the lock file: npx tsx tools/complete-lockfile.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";

const LOCK = path.join(__dirname, "..", "package-lock.json");
const OSES = ["darwin", "linux", "win32", "android", "freebsd", "openharmony", "sunos", "aix", "netbsd", "openbsd"];
const CPUS: Record<string, string> = { arm64: "arm64", x64: "x64", ia32: "ia32", arm: "arm", ppc64: "ppc64", s390x: "s390x", riscv64: "riscv64", loong64: "loong64", wasm32: "wasm32" };

interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

/** os, cpu and libc from a platform package's name, e.g. @swc/core-linux-arm64-musl. */
function platformOf(name: string): Pick<LockEntry, "os" | "cpu" | "libc"> | undefined {
  const parts = name.split("/").pop()!.split("-");
  const os = parts.find((p) => OSES.includes(p));
  const cpu = parts.map((p) => CPUS[p]).find(Boolean);
  if (!os || !cpu) return undefined;
  const libc = parts.includes("musl") || parts.includes("musleabihf") ? ["musl"] : os === "linux" && parts.some((p) => p.startsWith("gnu")) ? ["glibc"] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

const lock = JSON.parse(fs.readFileSync(LOCK, "utf8")) as { packages: Record<string, LockEntry> };
let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ""}node_modules/${dep}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) continue;
    lock.packages[`node_modules/${dep}`] = { version: spec, optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
fs.writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} optional platform entries to package-lock.json`);
