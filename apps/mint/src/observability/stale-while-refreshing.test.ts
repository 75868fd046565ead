import { describe, expect, it } from 'vitest'
import { staleWhileRefreshing } from './stale-while-refreshing.ts'

/** A read that counts its calls and finishes only when told to. */
function controlledRead() {
  const pending: PromiseWithResolvers<number>[] = []
  return {
    read: () => {
      const next = Promise.withResolvers<number>()
      pending.push(next)
      return next.promise
    },
    calls: () => pending.length,
    finish: (index: number, value: number) => pending[index]?.resolve(value),
    fail: (index: number) => pending[index]?.reject(new Error('database down')),
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

describe('staleWhileRefreshing', () => {
  it('waits for the first read, shared by concurrent callers', async () => {
    const source = controlledRead()
    const value = staleWhileRefreshing(source.read, 60_000, () => 0)
    const first = value()
    const second = value()
    await turn()
    expect(source.calls()).toBe(1)
    source.finish(0, 7)
    expect(await Promise.all([first, second])).toEqual([7, 7])
  })

  it('answers with the last value at once, and reads again in the background once it is too old', async () => {
    const source = controlledRead()
    let clock = 0
    const value = staleWhileRefreshing(source.read, 60_000, () => clock)
    const first = value()
    source.finish(0, 1)
    expect(await first).toBe(1)
    clock = 59_999
    expect(await value()).toBe(1)
    expect(source.calls()).toBe(1)
    clock = 60_000
    expect(await value()).toBe(1) // stale, not waited for
    expect(await value()).toBe(1) // the read under way is not started twice
    expect(source.calls()).toBe(2)
    source.finish(1, 2)
    await turn()
    expect(await value()).toBe(2)
    expect(source.calls()).toBe(2)
  })

  it('throws a failed first read, keeps the last value after a failed refresh, and tries again', async () => {
    const source = controlledRead()
    let clock = 0
    const value = staleWhileRefreshing(source.read, 1_000, () => clock)
    const first = value()
    source.fail(0)
    await expect(first).rejects.toThrow('database down')
    const second = value()
    source.finish(1, 5)
    expect(await second).toBe(5)
    clock = 1_000
    expect(await value()).toBe(5)
    source.fail(2)
    await turn()
    expect(await value()).toBe(5)
    expect(source.calls()).toBe(4)
  })
})
