/** `deckhand audit verify` and `deckhand audit export`. */
import type { LoadedConfig } from '../config/load.ts';
import { builtinModules } from '../modules/builtin.ts';
import { openStore } from '../modules/index.ts';
import { newestCheckpoint } from '../server/audit-checkpoints.ts';

/**
 * Proves the chain intact against the newest checkpoint and says what that cannot prove (exit 0),
 * or names the first entry that breaks it and how (exit 1).
 */
export async function runAuditVerify(config: LoadedConfig): Promise<number> {
  const checkpoint = await newestCheckpoint(config.paths.checkpoints);
  const store = await openStore(config, builtinModules);
  try {
    const result = await store.stores.audit.verify(checkpoint);
    if (result.ok) {
      const against = checkpoint
        ? `, and it holds what the checkpoint of ${checkpoint.at} saw (${checkpoint.count} entries up to #${checkpoint.lastId})`
        : '';
      console.log(
        `The audit log is intact: ${result.entries} entries, each linked to the one before${against}.`,
      );
      for (const caveat of result.caveats) console.log(`Note: ${caveat}.`);
      return 0;
    }
    console.error(`The audit log was tampered with at entry #${result.id}: ${result.problem}.`);
    return 1;
  } finally {
    await store.close();
  }
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
const csvField = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Prints entries oldest first, as JSON lines or CSV, with their hashes so the chain can be checked elsewhere. */
export async function runAuditExport(
  config: LoadedConfig,
  since: Date | undefined,
  format: 'jsonl' | 'csv',
): Promise<void> {
  const store = await openStore(config, builtinModules);
  try {
    const { audit } = store.stores;
    const rows = await audit.exportRows(since);
    if (format === 'csv') console.log(audit.exportColumns.join(','));
    for (const row of rows) {
      console.log(
        format === 'csv' ? audit.exportColumns.map((c) => csvField(row[c])).join(',') : JSON.stringify(row),
      );
    }
  } finally {
    await store.close();
  }
}
