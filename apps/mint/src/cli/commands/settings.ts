/**
 * The run-time settings every instance picks up at once: `info set` (NUT-06), `mint|melt
 * enable|disable` (Lightning per unit) and `auth status|enable|disable` (NUT-21/22).
 */
import { type Command, optional, required, subcommand, table, UsageError } from '../command.ts'

const INFO_USAGE = `set [--name N] [--description D] [--long-description D] [--motd M]
          [--contact METHOD:INFO ...] [--icon URL] [--tos URL] [--url URL ...]`

export const info: Command = {
  name: 'info',
  args: 'set',
  summary: 'change the name, description, contact, motd, icon, terms, urls',
  usage: [INFO_USAGE],
  options: {
    name: { type: 'string', value: 'N', help: 'the mint’s name' },
    description: { type: 'string', value: 'D', help: 'a short description' },
    'long-description': { type: 'string', value: 'D', help: 'a long description' },
    motd: { type: 'string', value: 'M', help: 'the message of the day ("" clears it)' },
    contact: {
      type: 'string',
      multiple: true,
      value: 'METHOD:INFO',
      help: 'a contact, e.g. email:ops@example.com',
    },
    icon: { type: 'string', value: 'URL', help: 'the icon' },
    tos: { type: 'string', value: 'URL', help: 'the terms of service' },
    url: { type: 'string', multiple: true, value: 'URL', help: 'a URL wallets reach the mint at' },
  },
  async run(input) {
    subcommand(input, 'info', ['set'])
    const { values } = input
    const contacts = values.contact as string[] | undefined
    const text = (name: string, key: string) => {
      const value = optional(values, name)
      return value ? { [key]: value } : {}
    }
    const change = {
      ...text('name', 'name'),
      ...text('description', 'description'),
      ...text('long-description', 'description_long'),
      ...(values.motd !== undefined ? { motd: values.motd } : {}),
      ...text('icon', 'icon_url'),
      ...text('tos', 'tos_url'),
      ...(values.url ? { urls: values.url } : {}),
      ...(contacts
        ? {
            contact: contacts.map((c) => {
              const at = c.indexOf(':')
              if (at < 1) throw new UsageError('--contact takes METHOD:INFO, e.g. email:ops@example.com')
              return { method: c.slice(0, at), info: c.slice(at + 1) }
            }),
          }
        : {}),
    }
    if (Object.keys(change).length === 0) throw new UsageError(`cashu-mint info ${INFO_USAGE}`)
    const result = await input.admin('PATCH', '/v1/admin/settings', change)
    return { result, text: 'mint info updated on every instance' }
  },
}

/** `mint` and `melt`: one Lightning switch per unit. */
function lightningSwitch(side: 'mint' | 'melt', what: string, nut: string): Command {
  return {
    name: side,
    args: 'enable|disable',
    summary: `switch Lightning ${what} for a unit`,
    usage: ['enable|disable --unit UNIT'],
    description: `Lightning ${what} (${nut}) for the unit.`,
    options: { unit: { type: 'string', value: 'UNIT', help: 'the unit' } },
    async run(input) {
      const on = subcommand(input, side, ['enable', 'disable']) === 'enable'
      const unit = required(input.values, 'unit')
      const result = await input.admin('PATCH', '/v1/admin/settings', { [`${side}_enabled`]: { [unit]: on } })
      return { result, text: `Lightning ${what} of ${unit} ${on ? 'enabled' : 'disabled'}` }
    },
  }
}

export const mintSwitch = lightningSwitch('mint', 'top-ups', 'NUT-04 quotes')
export const meltSwitch = lightningSwitch('melt', 'cash-outs', 'NUT-05')

interface AuthReport {
  configured: boolean
  enabled: boolean
  clear_endpoints?: { method: string; path: string }[]
  blind_endpoints?: { method: string; path: string }[]
  users?: Record<string, unknown>[]
}

function describeAuth(report: AuthReport): string {
  if (!report.configured) return 'access control is not configured (CASHU_MINT_AUTH_OPENID_DISCOVERY)'
  const list = (endpoints: { method: string; path: string }[] = []) =>
    endpoints.map((e) => `${e.method} ${e.path}`).join(', ') || 'none'
  return [
    `access control ${report.enabled ? 'enabled' : 'DISABLED: every endpoint is open'}`,
    `clear auth  ${list(report.clear_endpoints)}`,
    `blind auth  ${list(report.blind_endpoints)}`,
    '',
    table(report.users ?? [], ['subject', 'bats_minted', 'mint_requests', 'last_at']),
  ].join('\n')
}

export const auth: Command = {
  name: 'auth',
  args: 'status|enable|disable',
  summary: 'NUT-21/22 access control and BATs minted per user',
  usage: ['status|enable|disable'],
  description: `Access control (NUT-21 clear auth, NUT-22 blind auth) as configured with
CASHU_MINT_AUTH_OPENID_DISCOVERY; status lists the protected endpoints and the BATs minted per
OpenID subject (counts only). disable lets anyone use every endpoint until enabled again.`,
  async run(input) {
    const action = subcommand(input, 'auth', ['status', 'enable', 'disable'])
    if (action !== 'status')
      await input.admin('PATCH', '/v1/admin/settings', { auth_enabled: action === 'enable' })
    const result = (await input.admin('GET', '/v1/admin/auth')) as AuthReport
    return { result, text: describeAuth(result) }
  },
}
