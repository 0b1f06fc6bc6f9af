import QRCode from 'qrcode';

export type QrFormat = 'svg' | 'png';

/** Sizes in pixels a QR image may be asked for; small enough that rendering stays cheap. */
export const QR_SIZE = { min: 64, max: 2048, default: 512 } as const;

/**
 * The QR image of a link. Error correction M (15 %) survives print smudges and small logos; the
 * 4-module quiet zone is what the QR specification asks scanners to rely on.
 */
export async function renderQr(text: string, format: QrFormat, size: number): Promise<Buffer> {
  const options = { errorCorrectionLevel: 'M' as const, margin: 4, width: size, color: { dark: '#000000', light: '#ffffff' } };
  if (format === 'png') return QRCode.toBuffer(text, { ...options, type: 'png' });
  return Buffer.from(await QRCode.toString(text, { ...options, type: 'svg' }), 'utf8');
}

/** The link a QR code carries: the referral link marked `src=qr`, so its scans count under channel qr. */
export function qrTarget(referralLink: string): string {
  const url = new URL(referralLink);
  url.searchParams.set('src', 'qr');
  return url.toString();
}
