/**
 * Signals: the facts of a case that milestone rules refer to by name (opensOn, metBy, waivedBy).
 * Each comes with a key (a hand-off id, a notification id, …) so that an instance is met only by
 * the fact about the same thing. See milestones/signals-of.ts for how events produce them.
 */
export const SIGNALS = {
  'concern-registered': 'a concern was registered',
  'concern-registered-not-by-municipality':
    'a concern was registered by someone other than the responsible municipality',
  'concern-registered-not-by-clinic': 'a concern was registered by someone other than a clinic',
  'municipality-notified': 'the municipality was notified (key: notification id)',
  'municipality-notified-by-professional': 'a professional notified the municipality (key: notification id)',
  'notification-receipt-confirmed': 'the municipality confirmed receipt (key: notification id)',
  'notification-assessed': 'the municipality assessed a notification (key: notification id)',
  'investigation-opened': 'an assessment opened a child-welfare investigation',
  'investigation-concluded': 'the investigation was concluded',
  'coordinator-assigned': 'a coordinator was assigned (also re-assigned)',
  'coordinator-first-assigned': 'the first coordinator was assigned',
  'clinic-referral-made': 'the case was referred to a clinic',
  'clinic-visit-recorded': 'a clinic visit was recorded',
  'treatment-requested': 'treatment was requested',
  'treatment-started': 'treatment started',
  'placement-requested': 'residential placement was requested',
  'placement-decided': 'residential placement was granted or refused',
  'placement-granted': 'residential placement was granted',
  'admission-possible': 'a placement is granted and she has consented to residential treatment',
  'residential-consent-withdrawn': 'she withdrew her consent to residential treatment',
  admitted: 'she was admitted to residential treatment',
  'retention-contract-offered': 'a retention contract was offered (signed or declined)',
  'retention-contract-signed': 'a retention contract was signed',
  'retention-contract-ended': 'the retention contract ended',
  'retention-episode-started': 'a retention episode started (key: episode number)',
  'retention-episode-ended': 'a retention episode ended (key: episode number)',
  'network-meeting-recorded': 'a network meeting was recorded',
  'handoff-sent': 'a referral or notification was sent to an organisation (key: hand-off id)',
  'handoff-acknowledged': 'the receiving organisation acknowledged a hand-off (key: hand-off id)',
  'transfer-sent': 'the case moved to another municipality (key: hand-off id)',
  'coordinator-left-with-municipality':
    'the case moved while its coordinator works for the municipality it left (the engine reopens coordinator-assignment)',
  'transfer-acknowledged': 'the new municipality acknowledged the move (key: hand-off id)',
  'birth-recorded': 'the birth was recorded',
  'pregnancy-ended': 'the pregnancy ended without a birth',
  'post-birth-plan-recorded': 'a post-birth plan was recorded',
  'health-visitor-visit-recorded': 'a health-visitor visit was recorded',
  'postpartum-check-recorded': 'the postpartum check was recorded',
  'case-closed': 'the case was closed',
} as const;

export type SignalName = keyof typeof SIGNALS;

export function isSignal(name: string): name is SignalName {
  return Object.prototype.hasOwnProperty.call(SIGNALS, name);
}
