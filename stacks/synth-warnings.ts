import * as fs from "node:fs";
import * as path from "node:path";
import { AnnotationMetadataEntryType } from "cdktf";

/** A warning annotation of one synthesized stack, as the manifest holds it. */
export interface SynthWarning {
  readonly stack: string;
  readonly constructPath: string;
  readonly message: string;
}

interface Manifest {
  readonly stacks: Record<string, { readonly annotations?: readonly { readonly level: string; readonly constructPath: string; readonly message: string }[] }>;
}

/**
 * The warning annotations of every stack in `outdir/manifest.json`, which `app.synth()` writes: the same
 * list the cdktf CLI prints after `cdktf synth`, so `npm run synth` (main.ts) can print it too.
 */
export function synthWarnings(outdir: string): SynthWarning[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
  return Object.entries(manifest.stacks).flatMap(([stack, entry]) =>
    (entry.annotations ?? [])
      .filter((a) => a.level === AnnotationMetadataEntryType.WARN)
      .map((a) => ({ stack, constructPath: a.constructPath, message: a.message })),
  );
}
