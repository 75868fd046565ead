/** `cashu-mint backends`: each payment backend, what it serves, whether it answers, its balance. */
import { type Command, table } from '../command.ts'

interface BackendRow {
  name: string
  kind: string
  routes: { method: string; unit: string }[]
  ok: boolean
  balance_msat?: bigint | null
  error?: string
  ms: number
}

export const backends: Command = {
  name: 'backends',
  summary: 'the payment backends: what each serves, whether it answers, its balance',
  description: `Each backend of CASHU_MINT_BACKENDS (or CASHU_MINT_LIGHTNING), the units and methods it serves,
whether it answered just now, and what it holds (some, like CDK's processor, cannot say).`,
  async run({ admin }) {
    const result = (await admin('GET', '/v1/admin/backends')) as BackendRow[]
    const rows = result.map((b) => ({
      name: b.name,
      kind: b.kind,
      serves: b.routes.map((r) => `${r.method}/${r.unit}`).join(' '),
      status: b.ok ? `up (${b.ms} ms)` : `DOWN: ${b.error}`,
      balance: !b.ok
        ? ''
        : b.balance_msat === null || b.balance_msat === undefined
          ? 'unknown'
          : `${b.balance_msat / 1000n} sat`,
    }))
    return { result, text: table(rows, ['name', 'kind', 'serves', 'status', 'balance']) }
  },
}
