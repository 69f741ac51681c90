/**
 * Runs a subgraph's Kysely migrations with Kysely's Migrator. Each subgraph
 * keeps its own migration history table inside its own schema.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';

export type Migrations = Record<string, Migration>;

export async function migrateSchema(db: Kysely<any>, schema: string, migrations: Migrations): Promise<string[]> {
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  const migrator = new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`Migrating schema "${schema}" failed${failed ? ` at ${failed}` : ''}: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
