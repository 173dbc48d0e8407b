import { InputError } from '@backstage/errors';
import {
  formatUsageIssues,
  toUsageRecord,
  UsageIngestResult,
  UsageRecord,
  UsageTimeWindow,
  UsageValidationIssue,
} from '@aiplatform/plugin-ai-platform-node';
import { NdjsonLines } from '../shared/ingestion/ndjsonLines';
import { validateUsageRecordFast } from './fastUsageRecord';
import { UsageStore, UsageWriteSession } from './UsageStore';

/** Records per write of a stream: one statement per batch on PostgreSQL. */
export const NDJSON_BATCH = 5_000;
/** Issues a refusal names; the rest are counted. */
const SHOWN_ISSUES = 10;

/** The 400 of a refused batch: its first issues, and how many more. */
export function invalidUsageError(
  what: string,
  shown: UsageValidationIssue[],
  total: number,
): InputError {
  const more =
    total > SHOWN_ISSUES ? ` (and ${total - SHOWN_ISSUES} more)` : '';
  return new InputError(
    `Invalid ${what}, nothing was written: ${formatUsageIssues(
      shown.slice(0, SHOWN_ISSUES),
    )}${more}`,
  );
}

/** The 400 of a batch without a record. */
export function emptyUsageError(what: string): InputError {
  return new InputError(
    `Invalid ${what}: records must hold at least one record`,
  );
}

/**
 * `POST /usage` NDJSON as it streams in: each line parsed and validated as
 * it arrives, valid records written in batches of {@link NDJSON_BATCH}
 * into one transaction, committed after the last line. A bad line anywhere
 * rolls back what was written; the rest of the body is still read (not
 * written) so the 400 names the same issues, and counts the same, as the
 * body read whole would (`records[3].inputTokens`, `records[1]: line 3 is
 * not valid JSON`). While a batch is written the next one is parsed.
 */
export async function ingestUsageNdjson(
  lines: NdjsonLines,
  options: { store: UsageStore; window: UsageTimeWindow },
): Promise<UsageIngestResult> {
  const { store, window } = options;
  // Opened at the first full batch (or the commit), not before a byte came.
  let session: UsageWriteSession | undefined;
  let refused = false;
  let pending: Promise<void> | undefined;
  const settle = async () => {
    const write = pending;
    pending = undefined;
    await write;
  };
  const shown: UsageValidationIssue[] = [];
  let issues = 0;
  let lineNumber = 0;
  let index = 0;
  let batch: UsageRecord[] = [];

  const refuse = async (found: UsageValidationIssue[]) => {
    if (!refused) {
      // Nothing more is written: free the transaction now.
      refused = true;
      batch = [];
      await settle().catch(() => {});
      await session?.rollback();
      session = undefined;
    }
    issues += found.length;
    for (const issue of found) {
      if (shown.length < SHOWN_ISSUES) shown.push(issue);
    }
  };

  try {
    for await (const chunk of lines) {
      for (const line of chunk) {
        lineNumber++;
        if (line.length === 0 || !line.trim()) continue;
        const at = index++;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          await refuse([
            {
              field: `records[${at}]`,
              message: `line ${lineNumber} is not valid JSON`,
            },
          ]);
          continue;
        }
        const result = validateUsageRecordFast(value, at, window);
        if ('issues' in result) {
          await refuse(result.issues);
          continue;
        }
        if (refused) continue;
        batch.push(toUsageRecord(result.record));
        if (batch.length >= NDJSON_BATCH) {
          await settle();
          const records = batch;
          batch = [];
          session ??= await store.beginUsage();
          pending = session.write(records);
          // Awaited before the next write or the commit; not unhandled meanwhile.
          pending.catch(() => {});
        }
      }
    }
    if (refused) throw invalidUsageError('usage batch', shown, issues);
    if (index === 0) throw emptyUsageError('usage batch');
    await settle();
    session ??= await store.beginUsage();
    if (batch.length) await session.write(batch);
    const { inserted } = await session.commit();
    session = undefined;
    return { received: index, inserted };
  } finally {
    await settle().catch(() => {});
    await session?.rollback().catch(() => {});
  }
}
