/** `cashu-mint init`: the data folder with a seed, an admin token and a config file, each 0600. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { loadOrCreateSecret } from '../../config/secret-file.ts'
import { type Command, optional } from '../command.ts'

const template = (
  dir: string,
) => `# cashu-mint configuration (see the README); the environment overrides these.
CASHU_MINT_DATA_DIR=${dir}
CASHU_MINT_NAME=cashu-mint
CASHU_MINT_UNIT=sat
# CASHU_MINT_LIGHTNING=lnd
# CASHU_MINT_LND_SOCKET=127.0.0.1:10009
# CASHU_MINT_LND_CERT_PATH=
# CASHU_MINT_LND_MACAROON_PATH=
# DATABASE_URL=postgres://mint:secret@127.0.0.1/mint
`

export const init: Command = {
  name: 'init',
  summary: 'create the data folder: seed, admin token, config file',
  usage: ['[--data-dir DIR]'],
  description: `Creates DIR (default: CASHU_MINT_DATA_DIR or ./data) with a random seed, an admin token and a
mint.env config file, each readable by you only. Back up the seed: every keyset derives from it.`,
  options: { 'data-dir': { type: 'string', value: 'DIR', help: 'the data folder' } },
  async run({ values, config }) {
    const dir = resolve(optional(values, 'data-dir') ?? config.CASHU_MINT_DATA_DIR)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const seed = await loadOrCreateSecret(dir, 'seed')
    const token = await loadOrCreateSecret(dir, 'admin-token')
    const configFile = join(dir, 'mint.env')
    const wrote = await writeFile(configFile, template(dir), { flag: 'wx', mode: 0o600 }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false
        throw error
      },
    )
    return {
      result: {
        data_dir: dir,
        seed: seed.path,
        admin_token: token.path,
        config: configFile,
        seed_created: seed.created,
      },
      text: [
        `data folder   ${dir}`,
        `seed          ${seed.path}${seed.created ? ' (new)' : ' (kept)'}`,
        `admin token   ${token.path}`,
        `config        ${configFile}${wrote ? ' (new)' : ' (kept)'}`,
        '',
        'Back up the seed now and keep it offline: every keyset derives from it, and with the',
        'database it restores the mint (cashu-mint backup writes both).',
        `Start: CASHU_MINT_CONFIG_FILE=${configFile} cashu-mint start`,
      ].join('\n'),
    }
  },
}
