/** The version the mint reports (NUT-06 info, OpenAPI documents). */
export const VERSION = 'cashu-mint/0.1.0'
