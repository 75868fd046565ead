/** The table of `cashu-mint` commands, in the order the help lists them. */
import type { Command } from '../command.ts'
import { backends } from './backends.ts'
import { balance, issue, quotes, refund } from './books.ts'
import { certs } from './certs.ts'
import { backup, migrate, restore, start } from './database.ts'
import { importCommand } from './import.ts'
import { init } from './init.ts'
import { keysets } from './keysets.ts'
import { auth, info, meltSwitch, mintSwitch } from './settings.ts'
import { signer } from './signer.ts'

export const COMMANDS: readonly Command[] = [
  init,
  start,
  migrate,
  keysets,
  info,
  mintSwitch,
  meltSwitch,
  auth,
  issue,
  refund,
  balance,
  backends,
  certs,
  signer,
  quotes,
  backup,
  restore,
  importCommand,
]
