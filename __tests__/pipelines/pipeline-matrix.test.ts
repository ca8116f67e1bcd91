import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { loadEnvironments, parseEnvironment } from "../../config/load";
import devInput from "../../config/environments/dev";
import { pipelineEnvironments, render } from "../../tools/pipeline-matrix";

const ROOT = path.join(__dirname, "..", "..");
const environments = loadEnvironments();

describe("tools/pipeline-matrix.ts", () => {
  test("the shipped environments, with role, region, approval, smoke mode and backend", () => {
    expect(pipelineEnvironments(environments)).toEqual([
      { name: "dev", region: "ap-northeast-1", oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-dev-pipeline", protected: false, smokeMode: "full", backend: "local" },
      { name: "prod", region: "ap-northeast-1", oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-prod-pipeline", protected: true, smokeMode: "read-only", backend: "cloud" },
      { name: "stg", region: "ap-northeast-1", oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-stg-pipeline", protected: false, smokeMode: "full", backend: "s3" },
    ]);
  });

  test("environments without a pipeline section are left out", () => {
    const { pipeline: _pipeline, ...rest } = devInput as Record<string, unknown>;
    expect(pipelineEnvironments([parseEnvironment({ ...rest, name: "qa" }, "qa.ts")])).toEqual([]);
  });

  test("--github-output: one-line JSON for a matrix and for lookups by name", () => {
    const [matrix, byName] = render(["--github-output"], environments).split("\n");
    expect(matrix.startsWith("matrix=[")).toBe(true);
    expect(JSON.parse(matrix.slice("matrix=".length)).map((e: { name: string }) => e.name)).toEqual(["dev", "prod", "stg"]);
    expect(JSON.parse(byName.slice("environments=".length)).prod.oidcRoleArn).toBe("arn:aws:iam::111122223333:role/contact-center-prod-pipeline");
  });

  test("--env/--field print one raw value for shell scripts", () => {
    expect(render(["--env", "stg", "--field", "oidcRoleArn"], environments)).toBe("arn:aws:iam::111122223333:role/contact-center-stg-pipeline");
    expect(render(["--env", "prod", "--field", "protected"], environments)).toBe("true");
    expect(() => render(["--env", "qa", "--field", "region"], environments)).toThrow('environment "qa" has no pipeline section (pipeline environments: dev, prod, stg)');
    expect(() => render(["--env", "dev", "--field", "secret"], environments)).toThrow('unknown field "secret"');
    expect(() => render(["--env", "dev"], environments)).toThrow("--env and --field go together");
    expect(() => render(["--json"], environments)).toThrow("unknown option(s): --json");
  });

  test("the command prints the matrix as JSON", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "tools/pipeline-matrix.ts"], { cwd: ROOT, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(3);
  });
});
