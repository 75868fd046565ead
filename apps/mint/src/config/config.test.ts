import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { databaseUrlOf, loadConfig } from './config.ts'

describe('configuration', () => {
  it('has defaults for a local mint', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      CASHU_MINT_HOST: '127.0.0.1',
      CASHU_MINT_PORT: 3338,
      CASHU_MINT_UNIT: 'sat',
    })
    expect(config.CASHU_MINT_INPUT_FEE_PPK).toBe(0n)
    expect(config.CASHU_MINT_TRUST_PROXY).toBe(false)
  })

  it('names every bad variable', () => {
    expect(() =>
      loadConfig({ CASHU_MINT_PORT: 'eighty', CASHU_MINT_UNIT: 'SAT!', CASHU_MINT_TRUST_PROXY: 'yes' }),
    ).toThrow(/CASHU_MINT_PORT: must be a whole number[\s\S]*CASHU_MINT_UNIT[\s\S]*CASHU_MINT_TRUST_PROXY/)
  })

  it('takes an empty variable for an unset one (a compose file passing on an unset DATABASE_URL)', async () => {
    const config = loadConfig({
      DATABASE_URL: '',
      CASHU_MINT_PORT: '',
      CASHU_MINT_UNIT: ' ',
      CASHU_MINT_DATA_DIR: '/srv/mint',
    })
    expect(config.DATABASE_URL).toBeUndefined()
    expect(databaseUrlOf(config)).toBe('/srv/mint/pglite')
    expect(config.CASHU_MINT_PORT).toBe(3338)
    expect(config.CASHU_MINT_UNIT).toBe('sat')
    const file = join(await mkdtemp(join(tmpdir(), 'mint-config-')), 'mint.env')
    await writeFile(file, 'DATABASE_URL=\nCASHU_MINT_NAME=\n')
    expect(loadConfig({ CASHU_MINT_CONFIG_FILE: file }).CASHU_MINT_NAME).toBe('cashu-mint')
    expect(loadConfig({ CASHU_MINT_CONFIG_FILE: '' }).CASHU_MINT_NAME).toBe('cashu-mint')
  })

  it('refuses a database URL it cannot open, naming the variable', () => {
    for (const url of ['mysql://u:p@db/mint', 'postgres://', 'postgres:///mint', 'http://db/mint'])
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(/DATABASE_URL: must be postgres:\/\//)
    expect(loadConfig({ DATABASE_URL: 'postgresql://mint:secret@127.0.0.1:5432/mint' }).DATABASE_URL).toBe(
      'postgresql://mint:secret@127.0.0.1:5432/mint',
    )
    expect(loadConfig({ DATABASE_URL: 'memory://' }).DATABASE_URL).toBe('memory://')
    expect(loadConfig({ DATABASE_URL: './mint-db' }).DATABASE_URL).toBe('./mint-db')
  })

  it('reads a config file, with the environment taking precedence', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'mint-config-')), 'mint.env')
    await writeFile(
      file,
      'CASHU_MINT_PORT=4000\nCASHU_MINT_NAME="Arcade credits"\nCASHU_MINT_INPUT_FEE_PPK=100\n',
    )
    const config = loadConfig({ CASHU_MINT_CONFIG_FILE: file, CASHU_MINT_PORT: '5000' })
    expect(config.CASHU_MINT_PORT).toBe(5000)
    expect(config.CASHU_MINT_NAME).toBe('Arcade credits')
    expect(config.CASHU_MINT_INPUT_FEE_PPK).toBe(100n)
    expect(() => loadConfig({ CASHU_MINT_CONFIG_FILE: join(file, 'missing') })).toThrow(/cannot read/)
  })

  it('refuses access control settings that would leave the mint open or stuck', () => {
    const discovery = {
      CASHU_MINT_AUTH_OPENID_DISCOVERY: 'https://id.example/.well-known/openid-configuration',
    }
    expect(
      loadConfig({ ...discovery, CASHU_MINT_AUTH_BLIND_ENDPOINTS: 'POST /v1/swap' })
        .CASHU_MINT_AUTH_BLIND_ENDPOINTS,
    ).toEqual([{ method: 'POST', path: '/v1/swap' }])
    expect(() => loadConfig({ CASHU_MINT_AUTH_BLIND_ENDPOINTS: 'POST /v1/swap' })).toThrow(
      /CASHU_MINT_AUTH_OPENID_DISCOVERY: access control needs the OpenID provider/,
    )
    expect(() =>
      loadConfig({ CASHU_MINT_AUTH_OPENID_DISCOVERY: 'http://id.example/.well-known/openid-configuration' }),
    ).toThrow(/must be https/)
    expect(
      loadConfig({ CASHU_MINT_AUTH_OPENID_DISCOVERY: 'http://127.0.0.1:8080/x' }).CASHU_MINT_AUTH_CLIENT_ID,
    ).toBe('cashu-client')
    expect(() => loadConfig({ ...discovery, CASHU_MINT_AUTH_BAT_MAX_MINT: '0' })).toThrow(
      /CASHU_MINT_AUTH_BAT_MAX_MINT/,
    )
    expect(() => loadConfig({ ...discovery, CASHU_MINT_AUTH_BAT_MAX_MINT: '2000' })).toThrow(
      /CASHU_MINT_MAX_OUTPUTS/,
    )
    expect(() => loadConfig({ ...discovery, CASHU_MINT_AUTH_BAT_MINTS_PER_MINUTE: '0' })).toThrow(
      /at least 1/,
    )
  })
})
