/** The engine's settings and keyset plan derived from the service configuration. */
import type { Bolt11Network } from '@cashu-mint/core/lightning'
import type { KeysetPlan, MintSettings } from '@cashu-mint/core/mint'
import type { ServerConfig } from './config.ts'

/** `network` is the Lightning node's: the engine refuses invoices for any other. */
export function mintSettingsFrom(config: ServerConfig, network: Bolt11Network): MintSettings {
  const limits = { minAmount: config.CASHU_MINT_MIN_AMOUNT, maxAmount: config.CASHU_MINT_MAX_AMOUNT }
  return {
    units: {
      [config.CASHU_MINT_UNIT]: {
        mint: { enabled: !config.CASHU_MINT_MINT_DISABLED, descriptionAllowed: true, ...limits },
        melt: { enabled: !config.CASHU_MINT_MELT_DISABLED, ...limits },
      },
    },
    limits: { maxInputs: config.CASHU_MINT_MAX_INPUTS, maxOutputs: config.CASHU_MINT_MAX_OUTPUTS },
    mintQuoteTtlSeconds: 3600,
    meltQuoteTtlSeconds: 600,
    feeReserve: { percent: config.CASHU_MINT_FEE_PERCENT, min: config.CASHU_MINT_FEE_MIN },
    network,
    failedPaymentGraceSeconds: config.CASHU_MINT_FAILED_PAYMENT_GRACE_SECONDS,
    meltWaitMs: config.CASHU_MINT_MELT_WAIT_SECONDS * 1000,
  }
}

export function keysetPlanFrom(config: ServerConfig): KeysetPlan[] {
  return [{ unit: config.CASHU_MINT_UNIT, inputFeePpk: config.CASHU_MINT_INPUT_FEE_PPK }]
}
