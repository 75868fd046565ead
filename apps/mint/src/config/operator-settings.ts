/**
 * What the operator may change while the mint runs, from the admin API or the CLI: the NUT-06
 * info (name, description, contact, motd, icon, terms, urls) and the Lightning switches per unit (mint
 * and melt enabled). Stored in the database (operator_settings) over the configuration, so every
 * instance serves the same after a `settings` event. Only units that have a Lightning price can
 * be switched on.
 */
import { createListeners, type MintSettings } from '@cashu-mint/core/mint'
import { ErrorCode, MintError } from '@cashu-mint/core/protocol'
import { z } from 'zod'
import type { UnitConfig } from './unit-config.ts'

const switches = z.record(z.string(), z.boolean())

export const OperatorSettings = z.object({
  name: z.string().min(1).max(100).optional(),
  description: z.string().max(500).optional(),
  description_long: z.string().max(5000).optional(),
  contact: z
    .array(z.object({ method: z.string().min(1).max(50), info: z.string().min(1).max(300) }))
    .max(10)
    .optional(),
  motd: z.string().max(500).optional(),
  icon_url: z.url().optional(),
  tos_url: z.url().optional(),
  /** Where wallets reach the mint; without it, CASHU_MINT_URL. */
  urls: z.array(z.url()).min(1).max(10).optional(),
  /** Lightning top-ups per unit. */
  mint_enabled: switches.optional(),
  /** Lightning cash-outs per unit. */
  melt_enabled: switches.optional(),
  /** NUT-21/22 access control, where configured: off lets anyone use every endpoint. */
  auth_enabled: z.boolean().optional(),
})
export type OperatorSettings = z.output<typeof OperatorSettings>

const NATIVE = new Set(['sat', 'msat'])

/** Refuses switches for unknown units and switching Lightning on for a unit without a price. */
export function validateSwitches(settings: OperatorSettings, units: readonly UnitConfig[]): void {
  for (const side of ['mint_enabled', 'melt_enabled'] as const) {
    for (const [unit, on] of Object.entries(settings[side] ?? {})) {
      const configured = units.find((u) => u.unit === unit)
      if (!configured) throw new MintError(ErrorCode.UNIT_UNSUPPORTED, `unit ${unit} is not configured`)
      if (on && !NATIVE.has(unit) && !configured.rate)
        throw new MintError(
          ErrorCode.UNIT_UNSUPPORTED,
          `unit ${unit} has no Lightning price to ${side.slice(0, 4)} with`,
        )
    }
  }
}

/** A change merged over what is stored: switches merge per unit, other fields replace. */
export function mergeSettings(stored: OperatorSettings, change: OperatorSettings): OperatorSettings {
  return {
    ...stored,
    ...change,
    mint_enabled: { ...stored.mint_enabled, ...change.mint_enabled },
    melt_enabled: { ...stored.melt_enabled, ...change.melt_enabled },
  }
}

/**
 * Writes the switches into the engine's settings, in place (the engine holds this object):
 * a switch the operator set wins over the configuration.
 */
export function applySwitches(
  settings: MintSettings,
  configured: Record<string, { mint: boolean; melt: boolean }>,
  operator: OperatorSettings,
): void {
  for (const [unit, unitSettings] of Object.entries(settings.units)) {
    unitSettings.mint.enabled = operator.mint_enabled?.[unit] ?? configured[unit]?.mint ?? false
    unitSettings.melt.enabled = operator.melt_enabled?.[unit] ?? configured[unit]?.melt ?? false
  }
}

/** Reads stored settings; anything unreadable counts as none, so a bad row cannot stop the mint. */
export function parseStoredSettings(value: unknown): OperatorSettings {
  const parsed = OperatorSettings.safeParse(value ?? {})
  return parsed.success ? parsed.data : {}
}

export interface OperatorControl {
  current(): OperatorSettings
  /** Validates, stores and applies a change, then tells the `onChange` listeners (other instances). */
  update(change: OperatorSettings): Promise<OperatorSettings>
  /** Listens for changes made here; returns the function that stops listening. */
  onChange(listener: () => void): () => void
  /** Re-reads the stored settings: another instance changed them. */
  reload(): Promise<void>
}

/** Loads the stored settings, applies them to the engine's settings, and keeps them current. */
export async function createOperatorControl(options: {
  store: { get(key: string): Promise<unknown>; put(key: string, value: unknown): Promise<void> }
  settings: MintSettings
  units: readonly UnitConfig[]
}): Promise<OperatorControl> {
  const { store, settings, units } = options
  const configured = Object.fromEntries(
    Object.entries(settings.units).map(([unit, s]) => [unit, { mint: s.mint.enabled, melt: s.melt.enabled }]),
  )
  const changed = createListeners<void>()
  let current = parseStoredSettings(await store.get('operator'))
  applySwitches(settings, configured, current)
  return {
    current: () => current,
    async update(change) {
      validateSwitches(change, units)
      const merged = mergeSettings(current, change)
      await store.put('operator', merged)
      current = merged
      applySwitches(settings, configured, current)
      changed.emit()
      return current
    },
    onChange: changed.add,
    async reload() {
      current = parseStoredSettings(await store.get('operator'))
      applySwitches(settings, configured, current)
    },
  }
}
