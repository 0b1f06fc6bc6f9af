/** The channels a share button can tag a link with (the `src=` of the referral link). */
export const shareChannels = ['email', 'sms', 'whatsapp', 'x', 'linkedin', 'facebook'] as const;
export type ShareChannel = (typeof shareChannels)[number];

/** Every channel a participation event may name: the buttons plus the device's own share sheet. */
export const participationChannels = [...shareChannels, 'native'] as const;

export interface ShareButton {
  channel: ShareChannel;
  label: string;
  href: string;
  /** Web intents open in a new tab; mailto: and sms: hand over to an app. */
  newTab: boolean;
}

/** The referral link as a channel shares it: clicks through it are counted under that channel. */
export function taggedLink(referralLink: string, channel: string): string {
  const url = new URL(referralLink);
  url.searchParams.set('src', channel);
  return url.toString();
}

/** One button per channel, each carrying the link tagged with its channel. */
export function shareButtons(referralLink: string, message: string): ShareButton[] {
  const enc = encodeURIComponent;
  const link = (c: ShareChannel) => taggedLink(referralLink, c);
  return [
    { channel: 'email', label: 'Email', href: `mailto:?subject=${enc(message)}&body=${enc(`${message}\n\n${link('email')}`)}`, newTab: false },
    // `sms:?&body=` is the form both iOS and Android read.
    { channel: 'sms', label: 'SMS', href: `sms:?&body=${enc(`${message} ${link('sms')}`)}`, newTab: false },
    { channel: 'whatsapp', label: 'WhatsApp', href: `https://wa.me/?text=${enc(`${message} ${link('whatsapp')}`)}`, newTab: true },
    { channel: 'x', label: 'X', href: `https://x.com/intent/post?text=${enc(message)}&url=${enc(link('x'))}`, newTab: true },
    { channel: 'linkedin', label: 'LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?url=${enc(link('linkedin'))}`, newTab: true },
    { channel: 'facebook', label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${enc(link('facebook'))}`, newTab: true },
  ];
}
