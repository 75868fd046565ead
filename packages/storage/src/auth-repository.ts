/**
 * NUT-22 blind auth: the spent set of BATs (auth_proofs) and the BATs minted per OpenID subject
 * (auth_issuance). A BAT is one row keyed by its Y, so two requests, on any instance, cannot both
 * reserve it.
 */
import type { AuthIssuanceRecord, AuthProofRecord } from '@cashu-mint/core/mint'
import type { Db } from './db.ts'
import { and, asc, eq, sql } from './drizzle.ts'
import { authIssuance, authProofs } from './schema.ts'

const fromRow = ({ c, ...row }: typeof authProofs.$inferSelect): AuthProofRecord => ({ ...row, C: c })

export async function reserveAuthProof(db: Db, proof: AuthProofRecord): Promise<AuthProofRecord | undefined> {
  const { C, ...rest } = proof
  const inserted = await db
    .insert(authProofs)
    .values({ ...rest, c: C })
    .onConflictDoNothing()
    .returning({ y: authProofs.y })
  if (inserted.length > 0) return undefined
  const [row] = await db.select().from(authProofs).where(eq(authProofs.y, proof.y))
  // Deleted between the two statements (its request failed): try once more.
  return row ? fromRow(row) : reserveAuthProof(db, proof)
}

export async function finishAuthProof(
  db: Db,
  y: string,
  reservation: string,
  succeeded: boolean,
): Promise<void> {
  const pending = and(
    eq(authProofs.y, y),
    eq(authProofs.reservation, reservation),
    eq(authProofs.state, 'PENDING'),
  )
  if (succeeded) await db.update(authProofs).set({ state: 'SPENT', evidence: null }).where(pending)
  else await db.delete(authProofs).where(pending)
}

export async function listPendingAuthProofs(db: Db): Promise<AuthProofRecord[]> {
  const rows = await db
    .select()
    .from(authProofs)
    .where(eq(authProofs.state, 'PENDING'))
    .orderBy(asc(authProofs.createdAt))
  return rows.map(fromRow)
}

export async function countAuthIssuance(
  db: Db,
  subject: string,
  bats: bigint,
  now: bigint,
  perMinute: number,
): Promise<boolean> {
  const windowOpen = sql`${authIssuance.windowStart} > ${now - 60n}`
  const counted = await db
    .insert(authIssuance)
    .values({ subject, bats, requests: 1n, windowStart: now, windowRequests: 1, lastAt: now })
    .onConflictDoUpdate({
      target: authIssuance.subject,
      set: {
        bats: sql`${authIssuance.bats} + cast(${bats.toString()} as numeric)`,
        requests: sql`${authIssuance.requests} + 1`,
        windowStart: sql`case when ${windowOpen} then ${authIssuance.windowStart} else ${now} end`,
        windowRequests: sql`case when ${windowOpen} then ${authIssuance.windowRequests} + 1 else 1 end`,
        lastAt: now,
      },
      setWhere: sql`not (${windowOpen} and ${authIssuance.windowRequests} >= ${perMinute})`,
    })
    .returning({ subject: authIssuance.subject })
  return counted.length > 0
}

export async function listAuthIssuance(db: Db): Promise<AuthIssuanceRecord[]> {
  return db
    .select({
      subject: authIssuance.subject,
      bats: authIssuance.bats,
      requests: authIssuance.requests,
      lastAt: authIssuance.lastAt,
    })
    .from(authIssuance)
    .orderBy(asc(authIssuance.subject))
}
