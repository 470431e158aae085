import type { Language } from './texts';

/**
 * The reports' definitions in Danish, by the API's English sentence (libs/audit: HANDLING_TIME_DEFINITIONS,
 * ANNUAL_DEFINITIONS). A changed sentence finds no Danish here and fails test/dashboard-texts.spec.ts
 * until it is written; the page shows the English meanwhile, marked as such.
 */
export const DEFINITIONS_DA: Record<string, string> = {
  'A measure is counted in the period in which it finished: a milestone when it was met or waived, an interval when its end was recorded. Milestones still open are not counted.':
    'Et mål tælles med i den periode, hvor det blev afsluttet: en frist, når den blev opfyldt eller frafaldet, et tidsrum, når dets afslutning blev registreret. Frister, der stadig er åbne, tælles ikke med.',
  'Milestone handling time: from the start of its clock (its opening; for the post-birth plan 28 days before the due date, or the birth if earlier) to its being met or waived, excluding the time it was paused; 0 when met before its clock started.':
    'Sagsbehandlingstid for en frist: fra fristen begynder at løbe (når den åbnes; for planen for tiden efter fødslen 28 dage før terminsdatoen eller ved fødslen, hvis den kommer før) til den er opfyldt eller frafaldet, fratrukket den tid, fristen har holdt pause. 0, hvis den blev opfyldt, før den begyndte at løbe.',
  'Intervals: detection (concern registered) to the first clinic visit, to the first assessment of a notification, to the first treatment start; residential request to admission; birth to post-birth plan (0 when the plan came first).':
    'Tidsrum: fra opsporing (bekymringen registreret) til første besøg i familieambulatoriet, til første vurdering af en underretning og til første behandlingsstart; fra anmodning om døgnbehandling til indskrivning; fra fødslen til planen for tiden efter fødslen (0, hvis planen kom først).',
  'Median and p90 are interpolated between the closest values (PostgreSQL percentile_cont). Breach rate: the share of counted milestones whose deadline passed before they were met or waived.':
    'Median og 90 %-fraktil er interpoleret mellem de nærmeste værdier (PostgreSQL percentile_cont). Andel over frist: den andel af de talte frister, hvor fristen var overskredet, før den blev opfyldt eller frafaldet.',
  'Grouped by the responsible municipality (and its region) at the moment the measure finished, so a woman who moved counts where each step was done; by organisation: the milestone owner, or for intervals the organisation that recorded the end.':
    'Grupperet efter den ansvarlige kommune (og dens region), da målet blev afsluttet, så en kvinde, der er flyttet, tælles der, hvor hvert skridt blev gjort. Efter organisation: den organisation, der har fristen, eller for tidsrum den organisation, der registrerede afslutningen.',
  'Aggregates only: no case, person or CPR number is reported.':
    'Kun samlede tal: ingen sag, person eller CPR-nummer indgår i rapporten.',
  'Women referred to any treatment: pregnant women with a treatment requested (outpatient substance treatment) or a residential placement granted in the calendar year (Europe/Copenhagen).':
    'Kvinder henvist til behandling: gravide, som der er anmodet om behandling for (ambulant rusmiddelbehandling), eller som har fået bevilget døgnbehandling i kalenderåret (dansk tid).',
  'Women referred to residential treatment: pregnant women with a residential placement granted (døgnbehandling) in the year.':
    'Kvinder henvist til døgnbehandling: gravide, der har fået bevilget døgnbehandling i året.',
  'A woman is counted once per municipality: the municipality responsible (handlekommune) when the referral was made. A woman referred in two municipalities in the year (she moved) counts in each, and once in the region and national totals, which count women, not referrals.':
    'En kvinde tælles én gang pr. kommune: den ansvarlige kommune (handlekommunen), da hun blev henvist. En kvinde, der er henvist i to kommuner i året (fordi hun er flyttet), tælles i begge, men kun én gang i regionens og landets tal, som tæller kvinder, ikke henvisninger.',
  'A woman is counted once however many pregnancies (cases) she had referred in the year: her cases are linked by the blind index of her CPR number. A case without a CPR number counts as a woman of its own.':
    'En kvinde tælles én gang, uanset hvor mange graviditeter (sager) hun er henvist med i året: hendes sager kobles via et blindt indeks af hendes CPR-nummer. En sag uden CPR-nummer tælles som en kvinde for sig.',
};

/** A report's definition in the page's language; on the Danish page an unknown one shows its English, marked so. */
export function definitionText(english: string, language: Language): string {
  if (language === 'en') return english;
  return DEFINITIONS_DA[english] ?? `(På engelsk fra tjenesten:) ${english}`;
}
