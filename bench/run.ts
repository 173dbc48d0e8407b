/*
 * Runs every benchmark in bench/ (files named `*.bench.ts`), one process
 * each, in name order. Benchmarks are plain TypeScript scripts loaded with
 * Backstage's node transform (the one `backstage-cli package start` uses), so
 * workspace packages, whose `main` is `src/index.ts`, import as they are.
 *
 *   yarn bench               all benchmarks
 *   yarn bench ownership     the benchmarks whose file name contains "ownership"
 *
 * A benchmark writes its results to bench/results/ and prints them; it
 * asserts nothing about time. Add one by dropping a `<name>.bench.ts` here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const BENCH_DIR = __dirname;
const TRANSFORM = require.resolve('@backstage/cli/config/nodeTransform.cjs');

function main(): number {
  const filters = process.argv.slice(2).filter(a => !a.startsWith('-'));
  const files = fs
    .readdirSync(BENCH_DIR)
    .filter(f => f.endsWith('.bench.ts'))
    .filter(f => !filters.length || filters.some(x => f.includes(x)))
    .sort();
  if (!files.length) {
    process.stderr.write(
      `No *.bench.ts in ${BENCH_DIR} matching ${filters.join(', ')}\n`,
    );
    return 1;
  }

  const failed: string[] = [];
  for (const file of files) {
    process.stdout.write(`\n=== ${file} ===\n`);
    const start = Date.now();
    const child = spawnSync(
      process.execPath,
      ['--require', TRANSFORM, '--expose-gc', path.join(BENCH_DIR, file)],
      { stdio: 'inherit' },
    );
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    if (child.status !== 0) {
      failed.push(file);
      process.stdout.write(
        `=== ${file} FAILED (exit ${
          child.status ?? child.signal
        }) after ${seconds} s ===\n`,
      );
    } else {
      process.stdout.write(`=== ${file} done in ${seconds} s ===\n`);
    }
  }
  if (failed.length) {
    process.stderr.write(`Failed: ${failed.join(', ')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
