import { describeStoreConformance } from '@cashu-mint/core/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from '../src/connect.ts'
import { createPostgresDatabase } from './databases.ts'

describeStoreConformance('PGlite', () => openStore({ url: 'memory://' }), { describe, it, expect })

const databases: { drop: () => Promise<void> }[] = []
afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()))
})

describeStoreConformance(
  'PostgreSQL',
  async () => {
    const database = await createPostgresDatabase()
    databases.push(database)
    return openStore({ url: database.url, maxConnections: 4 })
  },
  { describe, it, expect },
)
