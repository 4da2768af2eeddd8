import type { Kysely } from 'kysely';

// Audit entries say how they are chained: `sha256` (no key, as before) or `hmac-sha256` (a key
// kept outside the database), so verify checks each by its own and refuses a downgrade.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit')
    .addColumn('alg', 'text', (c) => c.notNull().defaultTo('sha256'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit').dropColumn('alg').execute();
}
