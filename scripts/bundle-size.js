#!/usr/bin/env node
/* Measures the app's production bundle (run `yarn workspace app build` first):
 * total JavaScript, and the chunks that carry the AI Platform plugins, raw and
 * gzipped, plus which of the suite's packages (and their largest dependencies)
 * the browser loads, attributed by the source maps.
 * Usage: node scripts/bundle-size.js [packages/app/dist] [--json out.json] */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const dist = path.resolve(args.find(a => !a.startsWith('--') && a !== jsonOut) ?? 'packages/app/dist');
const staticDir = path.join(dist, 'static');

const gz = buf => zlib.gzipSync(buf, { level: 9 }).length;
const kb = n => `${(n / 1024).toFixed(1)} KiB`;

const total = { raw: 0, gzip: 0, files: 0 };
const suite = { raw: 0, gzip: 0, files: 0 };
const sourceBytes = new Map(); // package -> bytes of original source in the bundle

function packageOf(source) {
  const m =
    source.match(/plugins\/([^/]+)\/src\//) ??
    source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (!m) return undefined;
  return source.includes('plugins/') && !source.includes('node_modules') ? `@aiplatform/${m[1]}` : m[1];
}

for (const file of fs.readdirSync(staticDir)) {
  if (!file.endsWith('.js')) continue;
  const buf = fs.readFileSync(path.join(staticDir, file));
  const size = { raw: buf.length, gzip: gz(buf) };
  total.raw += size.raw;
  total.gzip += size.gzip;
  total.files += 1;
  const mapFile = path.join(staticDir, `${file}.map`);
  if (!fs.existsSync(mapFile)) continue;
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
  let carriesSuite = false;
  (map.sources ?? []).forEach((source, i) => {
    const pkg = packageOf(source);
    if (!pkg) return;
    if (pkg.startsWith('@aiplatform/') || pkg === '@pydantic/genai-prices') carriesSuite = true;
    const content = map.sourcesContent?.[i];
    if (content) sourceBytes.set(pkg, (sourceBytes.get(pkg) ?? 0) + Buffer.byteLength(content));
  });
  if (carriesSuite) {
    suite.raw += size.raw;
    suite.gzip += size.gzip;
    suite.files += 1;
  }
}

const ours = [...sourceBytes.entries()]
  .filter(([pkg]) => pkg.startsWith('@aiplatform/') || pkg === '@pydantic/genai-prices')
  .sort((a, b) => b[1] - a[1]);

const result = {
  measuredAt: new Date().toISOString(),
  totalJs: total,
  chunksWithSuite: suite,
  suiteSourceBytes: Object.fromEntries(ours),
};
console.log(`all JavaScript: ${total.files} files, ${kb(total.raw)} (${kb(total.gzip)} gzipped)`);
console.log(`chunks carrying the suite: ${suite.files} files, ${kb(suite.raw)} (${kb(suite.gzip)} gzipped)`);
for (const [pkg, bytes] of ours) console.log(`  source of ${pkg}: ${kb(bytes)}`);
if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
