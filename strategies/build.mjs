// Compiles the reference strategies (reference/<name>/assembly/index.ts) to
// build/<name>.wasm, copies each manifest to build/<name>.json, and builds the SDK's
// test module build/test_indicators.wasm. Run with `npm run build` (make strategies).
//
// Flags: the stub runtime is a bump allocator that never frees (no GC, nothing imported);
// `--use abort=` makes failed checks trap with `unreachable` instead of importing
// env.abort, so a module's only possible import is qt.log (ABI v1).
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = dirname(fileURLToPath(import.meta.url));
const build = join(root, "build");
const FLAGS = ["--runtime", "stub", "--use", "abort=", "-O3", "--noAssert", "--converge"];

async function compile(entry, wasm) {
  const { error, stderr } = await asc.main([entry, "--outFile", wasm, ...FLAGS], { stdout: process.stdout });
  if (error) {
    process.stderr.write(stderr.toString());
    throw new Error(`${entry}: ${error.message}`);
  }
}

mkdirSync(build, { recursive: true });
const names = readdirSync(join(root, "reference"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, "reference", d.name, "assembly", "index.ts")))
  .map((d) => d.name)
  .sort();
for (const name of names) {
  const dir = join(root, "reference", name);
  await compile(join(dir, "assembly", "index.ts"), join(build, `${name}.wasm`));
  copyFileSync(join(dir, "manifest.json"), join(build, `${name}.json`));
}
await compile(join(root, "sdk", "assemblyscript", "tests", "indicators.ts"), join(build, "test_indicators.wasm"));
console.log(`strategies: built ${names.join(", ")} and test_indicators into ${build}`);
