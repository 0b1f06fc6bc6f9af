/** How the app presents itself on Make (set when the app is created, kept in sync on each deploy). */
export const appProfile = {
  label: 'Referloop',
  description: 'Referral tracking: add participants, qualify referrals, track conversions, review rewards and react to referral events.',
  theme: '#3355ff',
  language: 'en',
  audience: 'global',
} as const;
