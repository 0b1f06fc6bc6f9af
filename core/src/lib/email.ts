import disposableDomains from 'disposable-email-domains';

const disposable = new Set<string>(disposableDomains);
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** The identity of an email inside a campaign: trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The person behind an address, for the self-referral check: lower-cased, `+tags` dropped and,
 * at Gmail, dots in the local part dropped (`J.Doe+ref@gmail.com` → `jdoe@gmail.com`).
 */
export function canonicalEmail(email: string): string {
  const key = emailKey(email);
  const at = key.lastIndexOf('@');
  if (at < 0) return key;
  let local = key.slice(0, at);
  let domain = key.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

/** True for addresses at a known throw-away mail provider (the maintained disposable-email-domains list). */
export function isDisposableEmail(email: string): boolean {
  const domain = emailKey(email).split('@').pop() ?? '';
  return disposable.has(domain);
}

/** `ja***@example.com`: enough for a referrer to recognise a friend, not enough to harvest. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  if (!domain) return '***';
  return `${local.slice(0, Math.min(2, local.length))}***@${domain}`;
}
