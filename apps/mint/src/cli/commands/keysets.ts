/** `cashu-mint keysets list|rotate` (NUT-02): the keysets, and a new active one for a unit. */
import { type Command, optional, required, subcommand, table, whole } from '../command.ts'

interface Keysets {
  keysets: Record<string, unknown>[]
}

export const keysets: Command = {
  name: 'keysets',
  args: 'list|rotate',
  summary: 'show keysets; start a new one for a unit',
  usage: ['list', 'rotate --unit UNIT [--fee PPK] [--expiry UNIX_SECONDS]'],
  description: 'Rotation makes a new active keyset for the unit; older ones stay valid as inputs.',
  options: {
    unit: { type: 'string', value: 'UNIT', help: 'the unit to rotate' },
    fee: {
      type: 'string',
      value: 'PPK',
      help: 'NUT-02 input fee of the new keyset (default: the current one)',
    },
    expiry: { type: 'string', value: 'UNIX_SECONDS', help: 'final expiry of the new keyset' },
  },
  async run(input) {
    const { values, admin } = input
    if (subcommand(input, 'keysets', ['list', 'rotate']) === 'list') {
      const result = (await admin('GET', '/v1/admin/keysets')) as Keysets
      return {
        result,
        text: table(result.keysets, ['id', 'unit', 'active', 'input_fee_ppk', 'final_expiry']),
      }
    }
    const unit = required(values, 'unit')
    const fee = optional(values, 'fee')
    const expiry = optional(values, 'expiry')
    const result = (await admin('POST', '/v1/admin/keysets/rotate', {
      unit,
      ...(fee ? { input_fee_ppk: whole(fee, 'fee') } : {}),
      ...(expiry ? { final_expiry: whole(expiry, 'expiry') } : {}),
    })) as Keysets
    const active = result.keysets.filter((k) => k.active && k.unit === unit)
    return {
      result,
      text: `active ${unit} keysets now:\n${table(active, ['id', 'input_fee_ppk', 'final_expiry'])}`,
    }
  },
}
