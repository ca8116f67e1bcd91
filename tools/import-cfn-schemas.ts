/**
 * Copies the CloudFormation resource schemas of the types the kit uses from a folder of registry copies
 * into schemas/cloudformation/, with every `description` text removed (they are long and not needed to
 * validate), pretty-printed so the Terraform provider's line-based pattern sanitizer can read them.
 *
 * Usage: npx tsx tools/import-cfn-schemas.ts [source-folder]   (default: ../shared/reference/cfn-schemas)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CLOUD_CONTROL_TYPES } from "../stacks/cloud-control/types";

const source = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "..", "shared", "reference", "cfn-schemas"));
const target = path.join(__dirname, "..", "schemas", "cloudformation");

function stripDescriptions(value: unknown, underProperties = false): unknown {
  if (Array.isArray(value)) return value.map((v) => stripDescriptions(v));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      // Under "properties"/"definitions" a key named "description" is a property name, not documentation.
      if (key === "description" && !underProperties && typeof child === "string") continue;
      out[key] = stripDescriptions(child, key === "properties" || key === "definitions" || key === "patternProperties");
    }
    return out;
  }
  return value;
}

fs.mkdirSync(target, { recursive: true });
for (const typeName of CLOUD_CONTROL_TYPES) {
  const file = `${typeName.replace(/::/g, "_")}.json`;
  const schema = JSON.parse(fs.readFileSync(path.join(source, file), "utf8"));
  fs.writeFileSync(path.join(target, file), `${JSON.stringify(stripDescriptions(schema), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), path.join(target, file))}`);
}
