import { schnorr } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { describe, expect, it } from 'vitest'
import { bytesToHex, utf8ToBytes } from '../crypto/bytes.ts'
import { ErrorCode, MintError } from '../protocol/errors.ts'
import { sigAllMessage } from './sig-all.ts'
import { assertSpendingConditions, type SpendInput } from './spend.ts'

const key = (seed: number) => {
  const secretKey = sha256(utf8ToBytes(`key ${seed}`))
  return { secretKey, pubkey: `02${bytesToHex(schnorr.getPublicKey(secretKey))}` }
}
const alice = key(1)
const bob = key(2)
const carol = key(3)
const refunder = key(4)

const sign = (message: string, signer: { secretKey: Uint8Array }) =>
  bytesToHex(schnorr.sign(sha256(utf8ToBytes(message)), signer.secretKey))

const secret = (kind: string, data: string, tags: string[][] = [], nonce = 'n1') =>
  JSON.stringify([kind, { nonce, data, tags }])

const C = `02${'11'.repeat(32)}`
const NOW = 1_700_000_000n
const noOutputs = { outputs: [] }

function spend(
  inputs: SpendInput[],
  transaction: Parameters<typeof assertSpendingConditions>[1] = noOutputs,
) {
  return () => assertSpendingConditions(inputs, transaction, NOW)
}
const fails = (run: () => void, detail: RegExp) => {
  expect(run).toThrow(MintError)
  try {
    run()
  } catch (error) {
    expect((error as MintError).code).toBe(ErrorCode.PROOF_VERIFICATION_FAILED)
    expect((error as MintError).detail).toMatch(detail)
  }
}
const p2pkInput = (s: string, signers: { secretKey: Uint8Array }[]): SpendInput => ({
  secret: s,
  C,
  witness: JSON.stringify({ signatures: signers.map((signer) => sign(s, signer)) }),
})

describe('NUT-11 P2PK, SIG_INPUTS', () => {
  it('spends with the locking key and not without it', () => {
    const s = secret('P2PK', alice.pubkey)
    expect(spend([p2pkInput(s, [alice])])).not.toThrow()
    fails(spend([p2pkInput(s, [bob])]), /signatures/)
    fails(spend([{ secret: s, C }]), /signatures/)
    fails(spend([{ secret: s, C, witness: 'not json' }]), /signatures/)
  })

  it('leaves ordinary secrets alone', () => {
    expect(
      spend([
        { secret: 'a plain random secret', C },
        { secret: '["not", "well-known"]', C },
        { secret: '["P2PK"]', C },
      ]),
    ).not.toThrow()
  })

  it('multisig counts distinct keys, not signatures', () => {
    const s = secret('P2PK', alice.pubkey, [
      ['pubkeys', bob.pubkey, carol.pubkey],
      ['n_sigs', '2'],
    ])
    expect(spend([p2pkInput(s, [alice, carol])])).not.toThrow()
    fails(spend([p2pkInput(s, [alice, alice])]), /signatures/)
    fails(spend([p2pkInput(s, [refunder, bob])]), /signatures/)
  })

  it('after locktime, refund keys may spend and the main pathway still can', () => {
    const tags = (locktime: bigint) => [
      ['locktime', locktime.toString()],
      ['refund', refunder.pubkey],
    ]
    const expired = secret('P2PK', alice.pubkey, tags(NOW - 1n))
    const active = secret('P2PK', alice.pubkey, tags(NOW + 1n))
    expect(spend([p2pkInput(expired, [refunder])])).not.toThrow()
    expect(spend([p2pkInput(expired, [alice])])).not.toThrow()
    fails(spend([p2pkInput(active, [refunder])]), /signatures/)
    expect(spend([p2pkInput(active, [alice])])).not.toThrow()
  })

  it('after locktime without refund keys, anyone can spend; a bad locktime is permanent', () => {
    expect(spend([{ secret: secret('P2PK', alice.pubkey, [['locktime', `${NOW - 1n}`]]), C }])).not.toThrow()
    fails(spend([{ secret: secret('P2PK', alice.pubkey, [['locktime', 'soon']]), C }]), /signatures/)
  })

  it('n_sigs_refund applies to the refund pathway', () => {
    const s = secret('P2PK', alice.pubkey, [
      ['locktime', `${NOW - 1n}`],
      ['refund', refunder.pubkey, bob.pubkey],
      ['n_sigs_refund', '2'],
    ])
    fails(spend([p2pkInput(s, [refunder])]), /signatures/)
    expect(spend([p2pkInput(s, [refunder, bob])])).not.toThrow()
  })

  it.each([
    [
      'a repeated tag',
      [
        ['n_sigs', '1'],
        ['n_sigs', '1'],
      ],
      /more than once/,
    ],
    ['n_sigs of zero', [['n_sigs', '0']], /positive integer/],
    ['n_sigs above the keys', [['n_sigs', '2']], /pathway has 1 keys/],
    ['an unknown sigflag', [['sigflag', 'SIG_NONE']], /sigflag/],
    ['a duplicate key by x-coordinate', [['pubkeys', `03${alice.pubkey.slice(2)}`]], /appears twice/],
    ['a key that is not a compressed point', [['pubkeys', 'abcd']], /compressed/],
    ['an empty tag', [[]], /tags/],
    ['an empty tag value', [['locktime', '']], /tags/],
  ])('rejects a secret with %s as malformed', (_, tags, detail) => {
    fails(spend([p2pkInput(secret('P2PK', alice.pubkey, tags as string[][]), [alice])]), detail)
  })

  it('rejects unknown kinds and broken well-known shapes', () => {
    fails(spend([{ secret: secret('P2SH', alice.pubkey), C }]), /unsupported/)
    fails(spend([{ secret: '["P2PK", {"nonce": "n", "data": "d"}, 1]', C }]), /malformed/)
    fails(spend([{ secret: '["P2PK", {"data": "x"}]', C }]), /nonce/)
  })
})

describe('NUT-11 SIG_ALL', () => {
  const s = (nonce: string) => secret('P2PK', alice.pubkey, [['sigflag', 'SIG_ALL']], nonce)
  const outputs = [{ amount: 2n, B_: `03${'22'.repeat(32)}` }]

  it('signs inputs, outputs and the melt quote id; only the first input needs a witness', () => {
    const inputs: SpendInput[] = [
      { secret: s('a'), C },
      { secret: s('b'), C },
    ]
    const message = sigAllMessage({ inputs, outputs, quoteId: 'quote-1' })
    expect(message).toBe(`${s('a')}${C}${s('b')}${C}2${outputs[0]?.B_}quote-1`)
    const witness = JSON.stringify({ signatures: [sign(message, alice)] })
    const signed = [{ ...inputs[0], witness } as SpendInput, inputs[1] as SpendInput]
    expect(spend(signed, { outputs, quoteId: 'quote-1' })).not.toThrow()
    fails(spend(signed, { outputs, quoteId: 'quote-2' }), /signatures/)
    fails(
      spend(signed, { outputs: [{ ...outputs[0], amount: 4n } as (typeof outputs)[0]], quoteId: 'quote-1' }),
      /signatures/,
    )
  })

  it('requires every input to share kind, data and tags', () => {
    const other = secret('P2PK', bob.pubkey, [['sigflag', 'SIG_ALL']])
    fails(
      spend(
        [
          { secret: s('a'), C },
          { secret: other, C },
        ],
        { outputs },
      ),
      /same kind, data and tags/,
    )
    fails(
      spend(
        [
          { secret: s('a'), C },
          { secret: 'plain', C },
        ],
        { outputs },
      ),
      /same kind, data and tags/,
    )
  })
})

describe('NUT-14 HTLC', () => {
  const preimage = `${'00'.repeat(31)}01`
  const hash = bytesToHex(sha256(Uint8Array.from(Buffer.from(preimage, 'hex'))))
  const htlcInput = (s: string, witness: object): SpendInput => ({
    secret: s,
    C,
    witness: JSON.stringify(witness),
  })

  it('matches the spec example hash of preimage 0x00..01', () => {
    expect(hash).toBe('ec4916dd28fc4c10d78e287ca5d9cc51ee1ae73cbfde08c6b37324cbfaac8bc5')
  })

  it('spends on the preimage alone when there are no pubkeys', () => {
    const s = secret('HTLC', hash)
    expect(spend([htlcInput(s, { preimage })])).not.toThrow()
    fails(spend([htlcInput(s, { preimage: '00'.repeat(32) })]), /preimage/)
    fails(spend([{ secret: s, C }]), /preimage/)
  })

  it('needs preimage and signatures with pubkeys; refund after locktime', () => {
    const s = secret('HTLC', hash, [
      ['pubkeys', bob.pubkey],
      ['locktime', `${NOW - 1n}`],
      ['refund', refunder.pubkey],
    ])
    expect(spend([htlcInput(s, { preimage, signatures: [sign(s, bob)] })])).not.toThrow()
    fails(spend([htlcInput(s, { preimage })]), /signatures/)
    fails(spend([htlcInput(s, { signatures: [sign(s, bob)] })]), /preimage/)
    expect(spend([htlcInput(s, { signatures: [sign(s, refunder)] })])).not.toThrow()
  })

  it('rejects a hash lock that is not 32 bytes of hex', () => {
    fails(spend([htlcInput(secret('HTLC', 'abc'), { preimage })]), /32-byte hash/)
  })
})
