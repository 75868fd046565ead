/**
 * The service provider's books from the command line: `issue` (credit a user who paid some other
 * way), `refund` (give a redeemed payment back), `balance` (what the mint owes and holds) and
 * `quotes` (recent mint and melt quotes).
 */
import { stringifyJson } from '@cashu-mint/core/protocol'
import { type Command, optional, required, subcommand, table, UsageError, whole } from '../command.ts'

export const issue: Command = {
  name: 'issue',
  summary: 'credit a user who paid some other way',
  usage: ['--amount N --unit UNIT --reference TEXT [--pubkey HEX]'],
  description: 'Prints a quote id the user mints with any wallet (NUT-04).',
  options: {
    amount: { type: 'string', value: 'N', help: 'in the unit' },
    unit: { type: 'string', value: 'UNIT', help: 'the unit' },
    reference: { type: 'string', value: 'TEXT', help: 'an order number, a voucher code: for the books' },
    pubkey: { type: 'string', value: 'HEX', help: 'NUT-20: only the holder of this key can mint it' },
  },
  async run({ values, admin }) {
    const pubkey = optional(values, 'pubkey')
    const result = (await admin('POST', '/v1/admin/issue', {
      amount: whole(required(values, 'amount'), 'amount'),
      unit: required(values, 'unit'),
      reference: required(values, 'reference'),
      ...(pubkey ? { pubkey } : {}),
    })) as { quote: string; amount: bigint; unit: string; expiry: bigint }
    const until = new Date(Number(result.expiry) * 1000).toISOString()
    return { result, text: `quote ${result.quote}: ${result.amount} ${result.unit}, mintable until ${until}` }
  },
}

export const refund: Command = {
  name: 'refund',
  args: '<receipt-id>',
  summary: 'give a redeemed payment back as a token',
  usage: ['RECEIPT_ID [--reason TEXT]'],
  description: `Prints a token worth the receipt's price, for the payer (X-Cashu-Receipt of a paywall answer).
A receipt is refunded once: asking again prints the same token.`,
  options: { reason: { type: 'string', value: 'TEXT', help: 'why, for the books' } },
  async run({ sub: id, values, admin }) {
    if (!id) throw new UsageError('which receipt? cashu-mint refund RECEIPT_ID')
    const reason = optional(values, 'reason')
    const result = (await admin(
      'POST',
      `/v1/admin/receipts/${encodeURIComponent(id)}/refund`,
      reason === undefined ? {} : { reason },
    )) as { refund: { amount: bigint; unit: string }; token: string; replayed: boolean }
    const { amount, unit } = result.refund
    return {
      result,
      text: `${result.replayed ? 'already refunded' : 'refunded'} ${amount} ${unit}; give the payer this token:\n${result.token}`,
    }
  },
}

/** GET /v1/admin/balance/drift's answer. */
interface Drift {
  agrees: boolean
  keysets: { keyset_id: string; signed: bigint; spent: bigint }[]
  fees: { unit: string; fees: bigint }[]
}

interface Balance {
  units: Record<string, { outstanding: bigint; fees_earned: bigint }>
  backends: { name: string; balance_msat: bigint | null; liabilities_msat: bigint; solvent: boolean | null }[]
  pending_melts: number
}

function describeDrift(drift: Drift, recounted: boolean): string {
  if (drift.agrees) return 'the running totals agree with a recount of the rows'
  const rows = [
    ...drift.keysets.map((k) => ({
      of: `keyset ${k.keyset_id}`,
      signed: k.signed,
      spent: k.spent,
      fees: '',
    })),
    ...drift.fees.map((f) => ({ of: `fees ${f.unit}`, signed: '', spent: '', fees: f.fees })),
  ]
  const differences = table(rows, ['of', 'signed', 'spent', 'fees'])
  return recounted
    ? `added to the running totals:\n${differences}`
    : `a recount of the rows minus the running totals:\n${differences}\nrun \`cashu-mint balance recount\` to correct them`
}

function describeBalance(balance: Balance): string {
  const rows = Object.entries(balance.units).map(([unit, u]) => ({
    unit,
    outstanding: u.outstanding,
    fees_earned: u.fees_earned,
  }))
  const solvency = balance.backends.map((b) => ({
    backend: b.name,
    holds: b.balance_msat === null ? 'unknown' : `${b.balance_msat} msat`,
    owes: `${b.liabilities_msat} msat`,
    covered: b.solvent === null ? '?' : b.solvent ? 'yes' : '** NOT COVERED **',
  }))
  return [
    table(rows, ['unit', 'outstanding', 'fees_earned']),
    '',
    table(solvency, ['backend', 'holds', 'owes', 'covered']),
    '',
    `pending melts ${balance.pending_melts}`,
  ].join('\n')
}

export const balance: Command = {
  name: 'balance',
  args: '[check|recount]',
  summary: 'outstanding ecash, Lightning balance, fees, pending melts',
  usage: ['', 'check|recount'],
  description: `check compares the running totals the balance reads with a recount of every stored row; recount
adds what differs to the totals. They differ only if an instance of a version before migration
0010 wrote beside a newer one (docs/operator.md, "Upgrading"). Both run while the mint serves.`,
  async run(input) {
    const { admin } = input
    if (input.sub === undefined) {
      const result = (await admin('GET', '/v1/admin/balance')) as Balance
      return { result, text: describeBalance(result) }
    }
    if (subcommand(input, 'balance', ['check', 'recount']) === 'check') {
      const result = (await admin('GET', '/v1/admin/balance/drift')) as Drift
      return { result, text: describeDrift(result, false) }
    }
    const result = (await admin('POST', '/v1/admin/balance/recount', {})) as { corrected: Drift }
    return { result, text: describeDrift(result.corrected, true) }
  },
}

export const quotes: Command = {
  name: 'quotes',
  args: 'list|show',
  summary: 'recent mint and melt quotes',
  usage: ['list [--kind mint|melt] [--limit N]', 'show ID'],
  options: {
    kind: { type: 'string', value: 'mint|melt', help: 'which quotes (default mint)' },
    limit: { type: 'string', value: 'N', help: 'how many (default 20)' },
  },
  async run(input) {
    const { values, admin } = input
    if (subcommand(input, 'quotes', ['list', 'show']) === 'show') {
      const id = input.rest[0]
      if (!id) throw new UsageError('cashu-mint quotes show ID')
      const result = await admin('GET', `/v1/admin/quotes/${encodeURIComponent(id)}`)
      return { result, text: stringifyJson(result, 2) }
    }
    const kind = optional(values, 'kind') ?? 'mint'
    const limit = optional(values, 'limit') ?? '20'
    const result = (await admin(
      'GET',
      `/v1/admin/quotes?kind=${encodeURIComponent(kind)}&limit=${encodeURIComponent(limit)}`,
    )) as Record<string, unknown>[]
    return { result, text: table(result, ['id', 'unit', 'amount', 'state', 'createdAt']) }
  },
}
