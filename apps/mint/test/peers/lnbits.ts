/**
 * LNbits 1.6 (PyPI `lnbits`, scripts/lnbits.sh) in a child process, on its own data folder, funded
 * by an LND node over REST or by its FakeWallet, with one account made through its API: its admin
 * UI off, so no first-install step stands between the test and the API.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { freePort } from '../free-port.ts'
import { type PeerProcess, startPeer, tool } from './peer-process.ts'

export interface LnbitsFunding {
  kind: 'FakeWallet' | 'LndRestWallet'
  /** For LndRestWallet: LND's REST endpoint (https://host:port), its tls.cert and a macaroon. */
  endpoint?: string
  certPath?: string
  macaroonPath?: string
}

export interface RunningLnbits extends PeerProcess {
  url: string
  /** A new wallet of a new account: its keys. */
  newWallet(name: string): Promise<{ id: string; adminKey: string; invoiceKey: string }>
}

export async function startLnbits(funding: LnbitsFunding): Promise<RunningLnbits> {
  const lnbits = tool('lnbits.sh')
  const python = join(dirname(lnbits), 'python')
  // LNbits serves its static files relative to the working folder: its own package's parent.
  const sitePackages = execFileSync(
    python,
    ['-c', 'import lnbits, os; print(os.path.dirname(os.path.dirname(lnbits.__file__)))'],
    {
      encoding: 'utf8',
    },
  ).trim()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const peer = await startPeer({
    name: 'LNbits',
    command: lnbits,
    args: ['--host', '127.0.0.1', '--port', String(port)],
    cwd: sitePackages,
    env: {
      LNBITS_DATA_FOLDER: await mkdtemp(join(tmpdir(), 'lnbits-')),
      LNBITS_ADMIN_UI: 'false',
      LNBITS_BACKEND_WALLET_CLASS: funding.kind,
      // Routing fee the wallet may spend on a payment: at least 2 sat.
      LNBITS_RESERVE_FEE_MIN: '2000',
      LNBITS_RESERVE_FEE_PERCENT: '1.0',
      ...(funding.kind === 'LndRestWallet'
        ? {
            LND_REST_ENDPOINT: funding.endpoint ?? '',
            LND_REST_CERT: funding.certPath ?? '',
            LND_REST_MACAROON: funding.macaroonPath ?? '',
          }
        : {}),
    },
    ready: async () => (await fetch(`${url}/api/v1/health`)).ok,
    timeoutMs: 120_000,
  })
  return {
    ...peer,
    url,
    async newWallet(name) {
      const response = await fetch(`${url}/api/v1/account`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      })
      if (!response.ok) throw new Error(`LNbits made no account: ${response.status} ${await response.text()}`)
      const wallet = (await response.json()) as { id: string; adminkey: string; inkey: string }
      return { id: wallet.id, adminKey: wallet.adminkey, invoiceKey: wallet.inkey }
    },
  }
}
