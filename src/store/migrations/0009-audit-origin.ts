import type { Kysely } from 'kysely';

// Repairs an in-place edit of 0007: as first landed (commit 1933e44) it gave `audit` an `origin`
// column with a unique index; commit cbc1f29 then took both out of 0007 itself. The migrator
// records a migration by its name only, so a database migrated before that edit kept them and
// one created after never got the column, both with 0007 counted as done. The column is added
// where it is missing (where present it keeps what the old entries hold), and the index, which
// nothing has used since, is dropped where present: every database ends with the same audit table.
export async function up(db: Kysely<unknown>): Promise<void> {
  const tables = await db.introspection.getTables();
  const audit = tables.find((t) => t.name === 'audit');
  if (!audit?.columns.some((c) => c.name === 'origin'))
    await db.schema.alterTable('audit').addColumn('origin', 'text').execute();
  await db.schema.dropIndex('audit_origin').ifExists().execute();
}

// No down: dropping the column would lose what entries written before cbc1f29 recorded in it.
