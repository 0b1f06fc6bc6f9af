/** The public URLs of a participant, all under PUBLIC_URL. */
export interface Links {
  referralLink(code: string): string;
  qrUrl(code: string): string;
  shareUrl(token: string): string;
  joinUrl(slug: string): string;
  inboundUrl(token: string): string;
}

export function createLinks(publicUrl: string): Links {
  return {
    referralLink: (code) => `${publicUrl}/r/${encodeURIComponent(code)}`,
    qrUrl: (code) => `${publicUrl}/qr/${encodeURIComponent(code)}.svg`,
    shareUrl: (token) => `${publicUrl}/p/${token}`,
    joinUrl: (slug) => `${publicUrl}/join/${slug}`,
    inboundUrl: (token) => `${publicUrl}/hooks/inbound/${token}`,
  };
}
