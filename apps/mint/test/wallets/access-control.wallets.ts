/**
 * The wallets lane with access control on (NUT-21/22), for the wallets that support it: a mint
 * started the README's way with an OpenID Connect provider (oidc-provider, in this process), every
 * top-up, swap and melt behind blind auth. Nutshell's CLI logs in with `cashu auth -m` (the
 * authorization code grant: the user signs in at the link it prints, the provider sends the browser
 * back to the CLI's own page) and mints BATs; then it tops up, sends, receives and pays as usual.
 */
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { externalInvoice } from '../../../../packages/storage/test/mint-fixture.ts'
import { approveAuthorization, type OpenIdProvider, startOpenIdProvider } from '../auth/openid-provider.ts'
import { cashu, NUTSHELL_CWD, nutshellEnv, nutshellWallet } from './nutshell-wallet.ts'
import { CONFIGS, type ReadmeMint, startReadmeMint } from './readme-mint.ts'

const BLIND = 'POST /v1/mint/*, GET /v1/mint/*, POST /v1/swap, POST /v1/melt/*, GET /v1/melt/*'
let provider: OpenIdProvider
let mint: ReadmeMint

beforeAll(async () => {
  provider = await startOpenIdProvider()
  mint = await startReadmeMint(CONFIGS[0] as (typeof CONFIGS)[0], {
    CASHU_MINT_AUTH_OPENID_DISCOVERY: provider.discoveryUrl,
    CASHU_MINT_AUTH_BLIND_ENDPOINTS: BLIND,
    CASHU_MINT_FAKE_DELAY_MS: '500',
  })
})
afterAll(async () => {
  await mint?.stop()
  await provider?.close()
})

const adminAuth = async () =>
  (await (
    await fetch(`${mint.adminUrl}/v1/admin/auth`, { headers: { authorization: `Bearer ${mint.adminToken}` } })
  ).json()) as { users: { subject: string; bats_minted: number }[] }

/** `cashu auth -m` in `home`, with the user signing in at the link it prints. */
async function nutshellLogin(home: string): Promise<string> {
  const child = spawn(cashu, ['--yes', 'auth', '-m'], {
    env: { ...process.env, ...nutshellEnv(mint.url, home), BROWSER: 'true' },
    cwd: NUTSHELL_CWD,
  })
  let output = ''
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise((resolve) => child.once('close', resolve))
  try {
    const deadline = Date.now() + 30_000
    let link: string | undefined
    while (!link && Date.now() < deadline) {
      link = output.match(/(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/)?.[1]
      await sleep(100)
    }
    if (!link) throw new Error(`no login link from cashu auth:\n${output}`)
    // The CLI prints the link before its callback page listens; a person takes longer than that.
    await listening(new URL(new URL(link).searchParams.get('redirect_uri') ?? '').port, deadline)
    expect(await approveAuthorization(link, 'alice')).toBe(200)
    await Promise.race([exited, sleep(30_000)])
    return output
  } finally {
    child.kill('SIGKILL')
  }
}

/** Resolves once something accepts connections on 127.0.0.1:`port`; throws after `deadline`. */
async function listening(port: string, deadline: number) {
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1')
      const settle = (accepted: boolean) => {
        socket.destroy()
        resolve(accepted)
      }
      socket.once('connect', () => settle(true)).once('error', () => settle(false))
      socket.setTimeout(1000, () => settle(false))
    })
  while (!(await accepts())) {
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`)
    await sleep(100)
  }
}

describe('access control on: Nutshell 0.21 (cashu CLI)', { timeout: 180_000 }, () => {
  it('logs in, mints BATs and tops up, sends, receives and pays with them', async () => {
    const home = await mkdtemp(join(tmpdir(), 'nutshell-auth-'))
    expect(await nutshellLogin(home)).toMatch(/Minted 50 AUTH auth tokens/)
    expect((await adminAuth()).users).toContainEqual(
      expect.objectContaining({ subject: 'user-alice', bats_minted: 50 }),
    )
    const wallet = await nutshellWallet(mint.url, 'sat', 'auth', home)
    await wallet.mint(100)
    expect(await wallet.balance()).toBe(100)
    const token = await wallet.send(21)
    await wallet.receive(token)
    await wallet.pay(externalInvoice(30n))
    expect(await wallet.balance()).toBeLessThanOrEqual(70)
    // Those calls carried BATs: without one the mint refuses.
    const bare = await fetch(`${mint.url}/v1/mint/quote/bolt11`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"amount": 5, "unit": "sat"}',
    })
    expect(await bare.json()).toMatchObject({ code: 31001 })
  })
})
