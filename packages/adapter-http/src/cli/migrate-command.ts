/** `migrate`: applies the Domino database migrations. Wired when adapter-domino-db lands. */
export const migrateCommand = async (_env: Readonly<Record<string, string | undefined>>): Promise<void> => {
  throw new Error('migrate is not available yet: the Domino SQL Server adapter is not wired')
}
