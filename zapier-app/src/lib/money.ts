/* Referloop keeps money as integer minor units plus an ISO currency; Zap users think in 49.99. */

/** Digits after the decimal point of a currency (2 for USD, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code: the hub names the bad currency in its answer.
    return 2;
  }
}

/** 49.99 USD → 4999. */
export function toMinorUnits(amount: number, currency: string): number {
  return Math.round(amount * 10 ** currencyDigits(currency));
}

/** 4999, USD → "$49.99". */
export function formatMinorUnits(amount: number, currency: string): string {
  const major = amount / 10 ** currencyDigits(currency);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(major);
  } catch {
    return `${major} ${currency}`;
  }
}
