/** The running mint's admin API, as the CLI calls it: the token from the configuration or the data folder. */
import { parseJson, stringifyJson } from '@cashu-mint/core/protocol'
import type { ServerConfig } from '../config/config.ts'
import { readSecret } from '../config/secret-file.ts'

export type AdminClient = (method: string, path: string, body?: unknown) => Promise<unknown>

export function adminClient(config: ServerConfig): AdminClient {
  return async (method, path, body) => {
    const token =
      config.CASHU_MINT_ADMIN_TOKEN ?? (await readSecret(config.CASHU_MINT_DATA_DIR, 'admin-token'))
    const base = `http://${config.CASHU_MINT_ADMIN_HOST}:${config.CASHU_MINT_ADMIN_PORT}`
    let response: Response
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: stringifyJson(body) }),
      })
    } catch {
      throw new Error(
        `no mint answers at ${base}: start it (cashu-mint start) or set CASHU_MINT_ADMIN_HOST/PORT`,
      )
    }
    const text = await response.text()
    if (response.status === 401)
      throw new Error('the admin token was refused: is CASHU_MINT_DATA_DIR the mint’s?')
    const parsed = text ? parseJson(text) : null
    if (!response.ok)
      throw new Error(`${(parsed as { detail?: string })?.detail ?? text} (HTTP ${response.status})`)
    return parsed
  }
}
