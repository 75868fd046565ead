/** The engine's settings and keyset plan derived from the service configuration. */
import { AUTH_UNIT, type KeysetPlan, type MintSettings, type UnitSettings } from '@cashu-mint/core/mint'
import { type ServerConfig, unitsOf } from './config.ts'

/** The global CASHU_MINT_MINT_DISABLED / CASHU_MINT_MELT_DISABLED switch a side off for every unit. */
export function mintSettingsFrom(config: ServerConfig): MintSettings {
  const units: Record<string, UnitSettings> = {}
  for (const unit of unitsOf(config)) {
    const limits = { minAmount: unit.minAmount, maxAmount: unit.maxAmount }
    units[unit.unit] = {
      mint: { enabled: unit.mint && !config.CASHU_MINT_MINT_DISABLED, descriptionAllowed: true, ...limits },
      melt: { enabled: unit.melt && !config.CASHU_MINT_MELT_DISABLED, ...limits },
    }
  }
  return {
    units,
    limits: { maxInputs: config.CASHU_MINT_MAX_INPUTS, maxOutputs: config.CASHU_MINT_MAX_OUTPUTS },
    mintQuoteTtlSeconds: 3600,
    meltQuoteTtlSeconds: 600,
    feeReserve: { percent: config.CASHU_MINT_FEE_PERCENT, min: config.CASHU_MINT_FEE_MIN },
    failedPaymentGraceSeconds: config.CASHU_MINT_FAILED_PAYMENT_GRACE_SECONDS,
    meltWaitMs: config.CASHU_MINT_MELT_WAIT_SECONDS * 1000,
    v1KeysetIds: config.CASHU_MINT_V1_KEYSET_IDS,
    ...(config.CASHU_MINT_AUTH_OPENID_DISCOVERY
      ? {
          blindAuth: {
            batMaxMint: config.CASHU_MINT_AUTH_BAT_MAX_MINT,
            mintRequestsPerMinute: config.CASHU_MINT_AUTH_BAT_MINTS_PER_MINUTE,
          },
        }
      : {}),
  }
}

/** The units' keysets, and with access control the NUT-22 `auth` keyset (ensureKeysets shapes it). */
export function keysetPlanFrom(config: ServerConfig): KeysetPlan[] {
  const plans: KeysetPlan[] = unitsOf(config).map((unit) => ({
    unit: unit.unit,
    inputFeePpk: unit.inputFeePpk,
    withV1Alias: config.CASHU_MINT_V1_KEYSET_IDS,
  }))
  return config.CASHU_MINT_AUTH_OPENID_DISCOVERY ? [...plans, { unit: AUTH_UNIT, inputFeePpk: 0n }] : plans
}
