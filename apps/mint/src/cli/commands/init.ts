/** `cashu-mint init`: the data folder with a seed, an admin token and a config file, each 0600. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { adoptSeed, loadOrCreateSecret, MNEMONIC_SEED, readSecretText } from '../../config/secret-file.ts'
import { type Command, optional, UsageError } from '../command.ts'

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
  usage: ['[--data-dir DIR] [--seed-from FILE [--mnemonic]]'],
  description: `Creates DIR (default: CASHU_MINT_DATA_DIR or ./data) with a random seed, an admin token and a
mint.env config file, each readable by you only. Back up the seed: every keyset derives from it.

Taking over a Nutshell or CDK mint (cashu-mint import), the seed is the old mint's: --seed-from FILE
reads it from a file of your own (0600): Nutshell's MINT_PRIVATE_KEY, or the file cdk-mintd's
[info] seed names, as text; with --mnemonic, the file cdk-mintd's [info] mnemonic names.`,
  options: {
    'data-dir': { type: 'string', value: 'DIR', help: 'the data folder' },
    'seed-from': { type: 'string', value: 'FILE', help: "the old mint's seed (text), to take it over" },
    mnemonic: { type: 'boolean', help: 'FILE holds a BIP-39 mnemonic (cdk-mintd [info] mnemonic)' },
  },
  async run({ values, config }) {
    const dir = resolve(optional(values, 'data-dir') ?? config.CASHU_MINT_DATA_DIR)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const from = optional(values, 'seed-from')
    if (values.mnemonic && !from) throw new UsageError('--mnemonic goes with --seed-from FILE')
    if (config.CASHU_MINT_SIGNER && from)
      throw new UsageError(
        '--seed-from goes to the signer: CASHU_MINT_SIGNER keeps the seed out of this data folder',
      )
    const adopted = from
      ? await readSecretText(from)
          .then((text) =>
            adoptSeed(dir, values.mnemonic ? `${MNEMONIC_SEED}${text.split(/\s+/).join(' ')}` : text),
          )
          .catch((error: Error) => {
            throw new UsageError(error.message)
          })
      : undefined
    // With a signer elsewhere this folder holds no seed, only the secret of ecash the mint makes itself.
    const seed = await loadOrCreateSecret(dir, config.CASHU_MINT_SIGNER ? 'mint-made-secret' : 'seed')
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
        config.CASHU_MINT_SIGNER
          ? `seed          with the signer at ${config.CASHU_MINT_SIGNER} (here: ${seed.path})`
          : `seed          ${seed.path}${adopted?.created ? ` (from ${from})` : seed.created ? ' (new)' : ' (kept)'}`,
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
