#!/usr/bin/env node
/* Follows the "## Install" section of a plugin's README in an app, as an
 * adopter would, and nothing else:
 * - `sh` blocks: every `yarn --cwd <dir> add <packages>` line is run in the app;
 * - `ts` blocks headed `// packages/backend/src/index.ts`: each
 *   `backend.add(...)` statement is added before `backend.start()` (once), and a
 *   `// replaces: <package>` line removes the statement that imports <package>.
 * Blocks with placeholders (`<your-plugin>`) are libraries for plugin authors
 * and are skipped. Usage: node followReadme.js <README.md> <app dir> */
const fs = require('fs');
const path = require('path');
const { execSync } = require('child_process');

const [readme, appDir] = process.argv.slice(2);
const text = fs.readFileSync(readme, 'utf8');
const install = text.split(/^## /m).find(s => /^Install\b/.test(s) && !/legacy/i.test(s.split('\n')[0]));
if (!install) throw new Error(`${readme} has no "## Install" section`);

const blocks = [...install.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(m => ({ lang: m[1], body: m[2] }));
const backendIndex = path.join(appDir, 'packages/backend/src/index.ts');

for (const { lang, body } of blocks) {
  if (body.includes('<')) continue; // a placeholder such as <your-plugin>
  if (lang === 'sh') {
    for (const line of body.split('\n').map(l => l.trim())) {
      if (!/^yarn --cwd \S+ add /.test(line)) continue;
      console.log(`$ ${line}`);
      execSync(line, { cwd: appDir, stdio: 'inherit' });
    }
  } else if (lang === 'ts' && body.startsWith('// packages/backend/src/index.ts')) {
    let source = fs.readFileSync(backendIndex, 'utf8');
    for (const m of body.matchAll(/^\/\/ replaces: (\S+)$/gm)) {
      const statement = new RegExp(`backend\\.add\\(\\s*import\\('${m[1].replace(/[/.]/g, '\\$&')}'\\),?\\s*\\);\\n`);
      if (!statement.test(source)) throw new Error(`${readme}: nothing imports ${m[1]} to replace`);
      source = source.replace(statement, '');
      console.log(`- removed backend.add(import('${m[1]}'))`);
    }
    for (const m of body.matchAll(/backend\.add\(\s*import\('([^']+)'\),?\s*\);/g)) {
      if (source.includes(`import('${m[1]}')`)) continue;
      source = source.replace(/^backend\.start\(\);/m, `backend.add(import('${m[1]}'));\nbackend.start();`);
      console.log(`+ backend.add(import('${m[1]}'))`);
    }
    fs.writeFileSync(backendIndex, source);
  }
}
