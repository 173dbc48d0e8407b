import fs from 'node:fs';
import path from 'node:path';

/** The part of prettier 2's API we use (the repository's formatter). */
interface Prettier {
  format(source: string, options: Record<string, unknown>): string;
  resolveConfig: { sync(file: string): Record<string, unknown> | null };
}

/**
 * Formats with the repository's prettier setup when it is available, so the
 * results pass `yarn prettier:check`; written as is otherwise.
 */
function format(file: string, text: string): string {
  try {
    const prettier: Prettier = require('prettier');
    const config = prettier.resolveConfig.sync(file) ?? {};
    return prettier.format(text, { ...config, filepath: file });
  } catch {
    return text;
  }
}

/** Writes `results/<name>.json` and `results/<name>.md`; returns their paths. */
export function writeResults(
  dir: string,
  name: string,
  json: unknown,
  markdown: string,
): { jsonFile: string; markdownFile: string; json: string; markdown: string } {
  fs.mkdirSync(dir, { recursive: true });
  const jsonFile = path.join(dir, `${name}.json`);
  const markdownFile = path.join(dir, `${name}.md`);
  const jsonText = format(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  const markdownText = format(markdownFile, markdown);
  fs.writeFileSync(jsonFile, jsonText);
  fs.writeFileSync(markdownFile, markdownText);
  return { jsonFile, markdownFile, json: jsonText, markdown: markdownText };
}
