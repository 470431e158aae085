#!/usr/bin/env node
// `npm run demo`: the service on servers of its own, with a compressed pathway policy (deadlines of
// seconds: test/policies/seconds.json, alerts re-sent every few seconds), playing the three courses
// of docs/domain.md. It tells, as they happen and as a Danish caseworker would say them, who does
// what, the deadlines each step meets and opens, the alerts arriving on the live streams, and their
// acknowledgement. Ctrl-C stops it.
//   --english  narrates in English (Danish is the default)
//   --keep     keeps the service running at the end, with the case to look at in the browser (the
//              development sign-in is on), until Ctrl-C
//   --quick    no pauses (for tests): fewer deadlines pass, so fewer alerts
import fs from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { root, runBench, sleep as pause, waitHealthy } from './lib/harness.mjs';

const english = process.argv.includes('--english');
const keep = process.argv.includes('--keep');
const quick = process.argv.includes('--quick');
/** How long it runs once built, said once, at the start (its pauses add up to 43 s; starting the servers takes the rest). */
const LENGTH = { da: 'omkring et minut', en: 'about a minute' };

const started = Date.now();
const clock = () => {
  const s = (Date.now() - started) / 1000;
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${(s % 60).toFixed(1).padStart(4, '0')}`;
};
/** Whether the output still has a reader (`npm run demo | head` closes it). */
let reader = true;
const show = (line) => reader && process.stdout.write(`${clock()}  ${line}\n`);
/** A line in the chosen language. */
const say = (da, en) => show(english ? en : da);
const sleep = (ms) => pause(quick ? 0 : ms);
const references = new Map();
const ref = (caseId) => references.get(caseId) ?? caseId.slice(0, 8);

say(
  `Demoen spiller de tre forløb fra de nationale rapporter med frister på sekunder i stedet for dage. Den varer ${LENGTH.da}, når tjenesten er bygget.`,
  `The demo plays the three courses of the national reports with deadlines of seconds instead of days. It takes ${LENGTH.en} once the service is built.`,
);
await runBench(async (stack) => {
  const policy = JSON.parse(fs.readFileSync(path.join(root, 'test', 'policies', 'seconds.json'), 'utf8'));
  policy.alerts = { resendEvery: { high: 'PT6S', critical: 'PT4S' }, climbAfterResends: 2 };
  const policyFile = path.join(stack.dir, 'demo-policy.json');
  fs.writeFileSync(policyFile, JSON.stringify(policy));
  // The development sign-in: the page can be watched (the API listens on 127.0.0.1 only).
  const env = { PATHWAY_POLICY_FILE: policyFile, RECONCILE_INTERVAL_MS: '2000', DEV_SIGN_IN: 'true' };
  stack.start('api', env);
  stack.start('worker', env);
  await waitHealthy(stack.baseUrl);
  // Ctrl-C (or the terminal closing, or a reader of the output gone): the apps and their servers stop, the data goes.
  let stopping = false;
  const stopAll = (code) => {
    if (stopping) return;
    stopping = true;
    void stack.stop().finally(() => {
      fs.rmSync(stack.dir, { recursive: true, force: true });
      process.exit(code);
    });
  };
  process.once('SIGINT', () => {
    say('Stopper…', 'Stopping…');
    stopAll(keep ? 0 : 130);
  });
  process.once('SIGTERM', () => stopAll(143));
  process.once('SIGHUP', () => stopAll(129));
  process.stdout.on('error', () => {
    reader = false;
    stopAll(1);
  });
  const page = `${stack.baseUrl}/app`;
  say(
    `Pathway kører på ${page} — log ind som tovholder i Aalborg Kommune for at følge med.`,
    `Pathway runs at ${page} — sign in as a coordinator of Aalborg Municipality to watch.`,
  );

  const as = (role, org, sub) => {
    const token = stack.token('--role', role, '--org', org, '--sub', sub);
    const call = async (method, url, body) => {
      const res = await fetch(`${stack.baseUrl}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body && JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    return { token, sub, org, call };
  };
  const mia = as('municipality', 'municipality:851', 'mia');
  const alice = as('coordinator', 'municipality:851', 'alice');
  const lis = as('clinic', 'clinic:1081', 'lis');
  const hansen = as('referrer', 'gp:hansen', 'dr-hansen');
  const shelter = as('referrer', 'shelter:kirkens-korshaer-aalborg', 'sara');

  // Organisations by their names (the service's reference data); a municipality as people say it.
  const organisations = new Map(
    (await mia.call('GET', '/v1/organisations')).body.organisations.map((o) => [
      o.id,
      o.kind === 'municipality' ? (english ? `${o.name} Municipality` : `${o.name} Kommune`) : o.name,
    ]),
  );
  const orgName = (id) => organisations.get(id) ?? (english ? 'another organisation' : 'en anden organisation');
  const people = {
    mia: { da: 'Sagsbehandler Mia', en: 'Caseworker Mia' },
    alice: { da: 'Tovholder Alice Holm', en: 'Coordinator Alice Holm' },
    lis: { da: 'Jordemoder Lis', en: 'Midwife Lis' },
    'dr-hansen': { da: 'Læge Hansen', en: 'Dr Hansen' },
    sara: { da: 'Sara fra Kirkens Korshær', en: 'Sara from Kirkens Korshær' },
  };
  const person = (sub) => people[sub]?.[english ? 'en' : 'da'] ?? sub;
  /** A milestone by its title in the policy (`municipality-notification-1` → «Underretning til kommunen»). */
  const rules = new Map(policy.milestones.map((m) => [m.id, m.title]));
  const ruleOf = new Map();
  const title = (milestone, rule = ruleOf.get(milestone) ?? milestone.replace(/-\d+$/, '')) =>
    `«${rules.get(rule)?.[english ? 'en' : 'da'] ?? (english ? 'a deadline' : 'en frist')}»`;
  /** The case's milestones (instance → rule, owner), as its municipality sees them. */
  const milestonesOf = async (caseId) =>
    new Map((await mia.call('GET', `/v1/cases/${caseId}/milestones`)).body.milestones.map((m) => [m.milestone, m]));
  const opened = (m) => {
    ruleOf.set(m.milestone, m.rule);
    return `${title(m.milestone, m.rule)} (${orgName(m.owner)})`;
  };
  const list = (items) => items.join(', ');

  // The live alert streams of the duty inbox in Aalborg, the GP and the shelter.
  const streams = [];
  const acknowledged = new Set();
  for (const who of [mia, hansen, shelter]) {
    const abort = new AbortController();
    const res = await fetch(`${stack.baseUrl}/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${who.token}` },
      signal: abort.signal,
    });
    streams.push(abort);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const data = buffer
              .slice(0, cut)
              .split('\n')
              .find((l) => l.startsWith('data: '));
            buffer = buffer.slice(cut + 2);
            if (data) onAlert(who, JSON.parse(data.slice(6)));
          }
        }
      } catch {
        // stopped
      }
    })();
  }
  const KIND = {
    warning: () => ({ da: 'Advarsel', en: 'Warning' }),
    breach: () => ({ da: 'Frist overskredet', en: 'Deadline breached' }),
    escalation: (level) => ({ da: `Eskaleret (trin ${level})`, en: `Escalated (level ${level})` }),
  };
  const TIER = {
    coordinator: { da: 'tovholderen', en: 'the coordinator' },
    'duty-inbox': { da: 'funktionspostkassen', en: 'the duty inbox' },
    'team-lead': { da: 'teamlederen', en: 'the team lead' },
    management: { da: 'ledelsen', en: 'the management' },
  };
  const tier = (t) => TIER[t]?.[english ? 'en' : 'da'] ?? t;
  const tiers = (ts) => ts.map(tier).join(english ? ' and ' : ' og ');
  /** What has been told: an alert reaches several streams, and a met milestone resolves each of its alerts. */
  const told = new Set();
  const once = (key) => !told.has(key) && told.add(key);
  function onAlert(who, { event, alert }) {
    const what = `${english ? 'case' : 'sag'} ${alert.caseReference}: ${title(alert.milestone, alert.rule)}, ${orgName(alert.owner)}`;
    const kind = KIND[alert.kind]?.(alert.level) ?? { da: 'Advarsel', en: 'Alert' };
    if (event === 'raised' && once(`raised ${alert.id}`))
      say(
        `  ⚑ ${kind.da} på ${what} → til ${tiers(alert.audience)}`,
        `  ⚑ ${kind.en} on ${what} → to ${tiers(alert.audience)}`,
      );
    else if (event === 'resent' && once(`resent ${alert.id} ${alert.resends}`))
      say(
        `  ⚑ ${kind.da} sendt igen (${alert.resends}. gang) på ${what} → når nu ${tier(alert.reach)}`,
        `  ⚑ ${kind.en} re-sent (${alert.resends}) on ${what} → now reaching ${tier(alert.reach)}`,
      );
    else if (event === 'acknowledged' && once(`acknowledged ${alert.id}`))
      say(
        `  ✓ ${person(alert.acknowledged.by)} kvitterer for «${kind.da}» på ${what}`,
        `  ✓ ${person(alert.acknowledged.by)} acknowledges «${kind.en}» on ${what}`,
      );
    else if (event === 'resolved' && once(`resolved ${alert.caseId} ${alert.milestone}`))
      say(`  ✓ Fristen er opfyldt, advarslerne lukkes: ${what}`, `  ✓ The deadline is met, its alerts close: ${what}`);
    // The duty inbox in Aalborg takes its breaches and escalations after a moment.
    if (
      who === mia &&
      event !== 'acknowledged' &&
      event !== 'resolved' &&
      alert.severity !== 'info' &&
      alert.status === 'open' &&
      !acknowledged.has(alert.id)
    ) {
      acknowledged.add(alert.id);
      setTimeout(
        () => void mia.call('POST', `/v1/alerts/${alert.id}/acknowledge`, { note: 'Vagten har taget den.' }),
        1_500,
      );
    }
  }

  const dueDate = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  async function register(who, body, intro) {
    say(...intro);
    const res = await who.call('POST', '/v1/cases', body);
    if (res.status !== 201) throw new Error(`register → ${res.status} ${JSON.stringify(res.body)}`);
    references.set(res.body.id, res.body.reference);
    const deadlines = [...(await milestonesOf(res.body.id)).values()].map(opened);
    const { weeks } = (await mia.call('GET', `/v1/cases/${res.body.id}`)).body.gestationalAge;
    say(
      `Sag ${res.body.reference}: ${orgName(who.org)} registrerer en bekymring; hun er i ${weeks}. graviditetsuge → nye frister: ${list(deadlines)}`,
      `Case ${res.body.reference}: ${orgName(who.org)} registers a concern; she is in week ${weeks} of her pregnancy → new deadlines: ${list(deadlines)}`,
    );
    return res.body.id;
  }
  /** Sends a command and tells what it meant: `da` / `en` say what the person does. */
  async function step(who, caseId, command, body, [da, en]) {
    const res = await who.call('POST', `/v1/cases/${caseId}/${command}`, body ?? {});
    const events = res.status === 200 ? (res.body.milestoneEvents ?? []) : [];
    const met = events
      .filter((e) => e.type === 'MilestoneMet')
      .map((e) => `${title(e.milestone)}${e.late ? (english ? ' (late)' : ' (for sent)') : ''}`);
    const waived = events.filter((e) => e.type === 'MilestoneWaived').map((e) => title(e.milestone));
    const now = events.some((e) => e.type === 'MilestoneOpened') ? await milestonesOf(caseId) : new Map();
    const fresh = events
      .filter((e) => e.type === 'MilestoneOpened')
      .map((e) => opened(now.get(e.milestone) ?? { milestone: e.milestone, rule: undefined, owner: undefined }));
    const consequences = [
      met.length && (english ? `met: ${list(met)}` : `opfyldt: ${list(met)}`),
      waived.length && (english ? `waived: ${list(waived)}` : `frafaldet: ${list(waived)}`),
      fresh.length && (english ? `new deadlines: ${list(fresh)}` : `nye frister: ${list(fresh)}`),
    ].filter(Boolean);
    const then = consequences.length ? ` → ${consequences.join('; ')}` : '';
    if (res.status !== 200)
      say(
        `Sag ${ref(caseId)}: ${person(who.sub)} kunne ikke: ${res.body?.message ?? res.status}`,
        `Case ${ref(caseId)}: ${person(who.sub)} could not: ${res.body?.message ?? res.status}`,
      );
    else
      say(
        `Sag ${ref(caseId)}: ${person(who.sub)} ${da}${then}`,
        `Case ${ref(caseId)}: ${person(who.sub)} ${en}${then}`,
      );
    return res;
  }
  const clinic = orgName('clinic:1081');
  const aalborg = orgName('municipality:851');
  const alicePerson = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };

  // Course 2: her GP refers to the clinic, which contacts the municipality; coordination; treatment.
  const two = await register(
    hansen,
    {
      estimatedDueDate: dueDate(200),
      municipality: '851',
      referrer: { kind: 'gp', name: orgName('gp:hansen') },
      substances: ['cocaine'],
    },
    [
      'Forløb 2: kokainbrug, i arbejde, uplanlagt graviditet. Hendes læge henviser hende.',
      'Course 2: cocaine use, working, an unplanned pregnancy. Her GP refers her.',
    ],
  );
  await sleep(2_000);
  await step(hansen, two, 'refer-to-clinic', {}, [`henviser hende til ${clinic}`, `refers her to ${clinic}`]);
  say(
    `Læge Hansen glemmer at underrette ${aalborg}: fristen overskrides og eskalerer…`,
    `Dr Hansen forgets to notify ${aalborg}: the deadline is breached and escalates…`,
  );
  await sleep(9_000);
  await step(hansen, two, 'notify-municipality', {}, [`underretter ${aalborg}`, `notifies ${aalborg}`]);
  await step(mia, two, 'confirm-notification-receipt', {}, [
    'kvitterer for modtagelsen af underretningen',
    'confirms receipt of the notification',
  ]);
  await step(mia, two, 'assign-coordinator', { coordinator: alicePerson }, [
    'udpeger Alice Holm som tovholder',
    'makes Alice Holm the coordinator',
  ]);
  await sleep(2_000);
  await step(lis, two, 'record-clinic-visit', {}, [
    `registrerer hendes første besøg i ${clinic}`,
    `records her first visit at ${clinic}`,
  ]);
  await step(alice, two, 'request-treatment', { kind: 'drugs' }, [
    'anmoder om rusmiddelbehandling',
    'requests treatment for her drug use',
  ]);
  await sleep(3_000);
  await step(mia, two, 'start-treatment', {}, [
    'registrerer at behandlingen er startet',
    'records that treatment has started',
  ]);

  // Course 1: found by the shelter in the third trimester; everyone contacted the same day.
  const one = await register(
    shelter,
    {
      estimatedDueDate: dueDate(70),
      municipality: '851',
      referrer: { kind: 'shelter', name: orgName('shelter:kirkens-korshaer-aalborg') },
      substances: ['opioids', 'benzodiazepines'],
    },
    [
      'Forløb 1: hjemløs, i substitutionsbehandling med sideforbrug, opdaget af herberget i tredje trimester.',
      'Course 1: homeless, in substitution treatment with side use, found by the shelter in the third trimester.',
    ],
  );
  await step(shelter, one, 'refer-to-clinic', {}, [
    `henviser hende til ${clinic} samme dag`,
    `refers her to ${clinic} the same day`,
  ]);
  await step(shelter, one, 'notify-municipality', {}, [`underretter ${aalborg}`, `notifies ${aalborg}`]);
  await sleep(2_000);
  await step(mia, one, 'confirm-notification-receipt', {}, [
    'kvitterer for modtagelsen af underretningen',
    'confirms receipt of the notification',
  ]);
  say(`${aalborg}s vurdering af underretningen trækker ud…`, `${aalborg}'s assessment of the notification is late…`);
  await sleep(6_000);
  await step(mia, one, 'assess-notification', { outcome: 'investigate' }, [
    'vurderer underretningen: der skal laves en børnefaglig undersøgelse',
    'assesses the notification: a child-welfare investigation is needed',
  ]);
  await step(mia, one, 'assign-coordinator', { coordinator: alicePerson }, [
    'udpeger Alice Holm som tovholder',
    'makes Alice Holm the coordinator',
  ]);
  await step(alice, one, 'request-residential-placement', {}, [
    'anmoder om døgnbehandling',
    'requests residential treatment',
  ]);
  const facility = orgName('facility:holmegaardshuset');
  await step(mia, one, 'decide-residential-placement', { decision: 'granted', facility: 'facility:holmegaardshuset' }, [
    `bevilger døgnbehandling på ${facility}`,
    `grants residential treatment at ${facility}`,
  ]);
  await step(mia, one, 'offer-retention-contract', { outcome: 'declined' }, [
    'tilbyder hende en tilbageholdelsesaftale; hun siger nej',
    'offers her a retention contract; she declines',
  ]);
  await sleep(4_000);
  await step(alice, one, 'record-network-meeting', { participants: ['municipality:851', 'clinic:1081'] }, [
    `holder netværksmøde med ${aalborg} og ${clinic}`,
    `holds a network meeting with ${aalborg} and ${clinic}`,
  ]);

  // Course 3: long-term methadone treatment, tells her practitioner in the first trimester.
  const three = await register(
    hansen,
    {
      estimatedDueDate: dueDate(230),
      municipality: '851',
      referrer: { kind: 'gp', name: orgName('gp:hansen') },
      substances: ['opioids'],
    },
    [
      'Forløb 3: mange år i metadonbehandling; hun fortæller sin læge om graviditeten i første trimester.',
      'Course 3: years of methadone treatment; she tells her GP about the pregnancy in the first trimester.',
    ],
  );
  await step(hansen, three, 'refer-to-clinic', {}, [`henviser hende til ${clinic}`, `refers her to ${clinic}`]);
  await step(hansen, three, 'notify-municipality', {}, [`underretter ${aalborg}`, `notifies ${aalborg}`]);
  await step(mia, three, 'confirm-notification-receipt', {}, [
    'kvitterer for modtagelsen af underretningen',
    'confirms receipt of the notification',
  ]);
  await step(mia, three, 'assess-notification', { outcome: 'support' }, [
    'vurderer underretningen: hun tilbydes støtte',
    'assesses the notification: she is offered support',
  ]);
  await step(mia, three, 'assign-coordinator', { coordinator: alicePerson }, [
    'udpeger Alice Holm som tovholder',
    'makes Alice Holm the coordinator',
  ]);
  await sleep(3_000);
  await step(lis, three, 'record-clinic-visit', {}, [
    `registrerer hendes første besøg i ${clinic}`,
    `records her first visit at ${clinic}`,
  ]);

  say('Det, der stadig er åbent, bliver ved med at eskalere…', 'What is still open keeps climbing…');
  await sleep(12_000);
  const open = (await mia.call('GET', '/v1/alerts?status=open')).body.items.length;
  const inbox = (await mia.call('GET', '/v1/alerts')).body.items.length;
  say(
    `Funktionspostkassen i ${aalborg} har ${inbox} advarsler; ${open} er endnu ikke kvitteret.`,
    `The duty inbox of ${aalborg} holds ${inbox} alerts; ${open} are not yet acknowledged.`,
  );
  for (const abort of streams) abort.abort();
  if (!keep) {
    say('Demoen er slut; serverne stopper nu.', 'The demo is over; the servers stop now.');
    return true;
  }
  say(
    `Demoen er slut; tjenesten kører videre, til du trykker Ctrl-C. Siden: ${page} — sag ${ref(one)}: ${page}/cases/${one} (log ind som tovholder i ${aalborg}).`,
    `The demo is over; the service keeps running until Ctrl-C. The page: ${page} — case ${ref(one)}: ${page}/cases/${one} (sign in as a coordinator of ${aalborg}).`,
  );
  // Until Ctrl-C (above), which stops the servers.
  return new Promise(() => {});
});
