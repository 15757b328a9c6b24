// Trunk post_build hook: minifies wasm-bindgen's JS glue with esbuild (trunk's own JS
// minifier cannot parse it) and updates its SRI hash in index.html. esbuild comes from
// target/tools (`npm install --prefix target/tools esbuild`); without it the glue ships
// as built, unminified but correct.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging || process.env.TRUNK_PROFILE !== "release") process.exit(0);

let esbuild;
try {
  esbuild = createRequire(join(process.cwd(), "target/tools/"))("esbuild");
} catch {
  console.log("minify-js: no esbuild in target/tools; the JS glue stays unminified");
  process.exit(0);
}

const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");
const indexPath = join(staging, "index.html");
let index = readFileSync(indexPath, "utf8");
for (const name of readdirSync(staging).filter((f) => f.endsWith(".js"))) {
  const path = join(staging, name);
  const source = readFileSync(path);
  const { code } = esbuild.transformSync(source.toString(), {
    format: "esm",
    minify: true,
    target: "es2020",
  });
  writeFileSync(path, code);
  index = index.split(sri(source)).join(sri(Buffer.from(code)));
  console.log(`minify-js: ${name} ${source.length} → ${code.length} bytes`);
}
writeFileSync(indexPath, index);
