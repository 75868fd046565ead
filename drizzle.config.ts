import { defineConfig } from 'drizzle-kit'

// Migrations are generated from the schema (`pnpm db:generate`) and never edited or renumbered.
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/storage/src/schema.ts',
  out: './drizzle',
})
