/**
 * Group commit for swaps (NUT-03). A spend waits for the end of the event loop's turn, so that the
 * other swaps verified and signed in the same turn join it, and a free writer then stores all of
 * them in one statement; while `writers` groups are being written, the next group waits. Under
 * load a statement's fixed cost (a round trip, parse and plan, a commit) is shared by the group,
 * which matters most on PGlite, where it is most of a swap's write. An idle mint adds
 * one turn of the loop to a swap.
 *
 * A group is atomic like a single spend: all of it is stored or none. If it is refused on a key (a
 * double spend in one of its swaps, or two of its swaps spending the same proof or signing the same
 * output), each half is written again, first half first, down to single swaps: each swap gets its
 * own answer, the earlier of two swaps that spend one proof wins, and k refused swaps among n cost
 * about k·log2(n) statements, so a replayed token cannot make every group fall back to one
 * statement a swap. If it fails for another reason (the connection, the database, a value it
 * refuses), each swap is written again alone, all at once, and gets its own error or success: an
 * outage fails each swap after one wait, not after one wait per swap before it. Writing again after
 * an error whose outcome is unknown is safe: a swap already stored is refused by its keys, and the
 * engine answers that refusal with the stored signatures.
 */
import {
  type MintStoreTx,
  type ProofRecord,
  type SignatureRecord,
  StoreConflictError,
} from '@cashu-mint/core/mint'

export type RecordSpend = MintStoreTx['recordSpend']

interface WaitingSpend {
  proofs: readonly ProofRecord[]
  signatures: readonly SignatureRecord[]
  done: PromiseWithResolvers<void>
}

/** Rows one group may hold; a spend larger than this on its own is written alone. */
export const MAX_GROUP_ROWS = 2000

export function groupSpends(write: RecordSpend, writers: number): RecordSpend {
  // With no writer, every spend would wait for ever.
  if (!Number.isInteger(writers) || writers < 1)
    throw new RangeError(`spend writers must be a whole number >= 1, got ${writers}`)
  const waiting: WaitingSpend[] = []
  let writing = 0
  let turnScheduled = false

  const writeAlone = (spend: WaitingSpend) =>
    write(spend.proofs, spend.signatures).then(spend.done.resolve, spend.done.reject)

  const writeGroup = async (group: readonly WaitingSpend[]): Promise<void> => {
    if (group.length === 1) return writeAlone(group[0] as WaitingSpend)
    try {
      await write(
        group.flatMap((spend) => spend.proofs),
        group.flatMap((spend) => spend.signatures),
      )
    } catch (error) {
      if (!(error instanceof StoreConflictError)) {
        await Promise.all(group.map(writeAlone))
        return
      }
      const half = Math.ceil(group.length / 2)
      await writeGroup(group.slice(0, half))
      await writeGroup(group.slice(half))
      return
    }
    for (const spend of group) spend.done.resolve()
  }

  const startWriters = () => {
    while (writing < writers && waiting.length > 0) {
      writing++
      void writeGroup(takeGroup(waiting)).finally(() => {
        writing--
        startWriters()
      })
    }
  }

  return (proofs, signatures) => {
    const done = Promise.withResolvers<void>()
    waiting.push({ proofs, signatures, done })
    if (!turnScheduled) {
      turnScheduled = true
      setImmediate(() => {
        turnScheduled = false
        startWriters()
      })
    }
    return done.promise
  }
}

/** The longest run of waiting spends, in arrival order, that fits in MAX_GROUP_ROWS (at least one). */
function takeGroup(waiting: WaitingSpend[]): WaitingSpend[] {
  const group = [waiting.shift() as WaitingSpend]
  let rows = rowCount(group[0] as WaitingSpend)
  while (waiting.length > 0 && rows + rowCount(waiting[0] as WaitingSpend) <= MAX_GROUP_ROWS) {
    const next = waiting.shift() as WaitingSpend
    rows += rowCount(next)
    group.push(next)
  }
  return group
}

/** The rows a spend writes: its proofs and its signatures. */
const rowCount = (spend: WaitingSpend) => spend.proofs.length + spend.signatures.length
