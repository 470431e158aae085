#!/usr/bin/env node
// `npm run demo`: the service on servers of its own, with a compressed pathway policy (deadlines of
// seconds: test/policies/seconds.json, alerts re-sent every few seconds), playing the three courses
// of domain.md. It prints, as they happen, the commands and the milestones they open or meet, the
// alerts arriving on the live streams, and their acknowledgement. About two minutes; Ctrl-C stops it.
import fs from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { root, runBench, sleep, waitHealthy } from './lib/harness.mjs';

const started = Date.now();
const clock = () => {
  const s = (Date.now() - started) / 1000;
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${(s % 60).toFixed(1).padStart(4, '0')}`;
};
const show = (line) => process.stdout.write(`${clock()}  ${line}\n`);
const references = new Map();
const ref = (caseId) => references.get(caseId) ?? caseId.slice(0, 8);

await runBench(async (stack) => {
  const policy = JSON.parse(fs.readFileSync(path.join(root, 'test', 'policies', 'seconds.json'), 'utf8'));
  policy.alerts = { resendEvery: { high: 'PT6S', critical: 'PT4S' }, climbAfterResends: 2 };
  const policyFile = path.join(stack.dir, 'demo-policy.json');
  fs.writeFileSync(policyFile, JSON.stringify(policy));
  const env = { PATHWAY_POLICY_FILE: policyFile, RECONCILE_INTERVAL_MS: '2000' };
  stack.start('api', env);
  stack.start('worker', env);
  await waitHealthy(stack.baseUrl);
  show(`Pathway runs at ${stack.baseUrl} with deadlines of seconds (policy ${policy.name}, compressed)`);

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
  const icons = { info: 'warning ', high: 'BREACH  ', critical: 'ESCALATE' };
  function onAlert(who, { event, alert }) {
    const what = `${alert.milestone} (${alert.step}), case ${alert.caseReference}, owner ${alert.owner}`;
    if (event === 'raised')
      show(`  ALERT ${icons[alert.severity]} ${what} → ${who.sub}'s stream; reaches ${alert.audience.join(' + ')}`);
    else if (event === 'resent') show(`  ALERT re-sent #${alert.resends} ${what}, now reaching ${alert.reach}`);
    else if (event === 'acknowledged' && who === mia)
      show(`  ALERT acknowledged ${what} by ${alert.acknowledged.by}: "${alert.acknowledged.note ?? ''}"`);
    else if (event === 'resolved' && who === mia) show(`  ALERT resolved ${what}: the milestone is met`);
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
  async function register(who, body, course) {
    const res = await who.call('POST', '/v1/cases', body);
    if (res.status !== 201) throw new Error(`register → ${res.status} ${JSON.stringify(res.body)}`);
    references.set(res.body.id, res.body.reference);
    const opened = (await who.call('GET', `/v1/cases/${res.body.id}/milestones`)).body.milestones.map(
      (m) => m.milestone,
    );
    show(
      `case ${res.body.reference} (course ${course}): ${who.org} registers a concern, week ${res.body.gestationalAge?.weeks} → opens ${opened.join(', ')}`,
    );
    return res.body.id;
  }
  async function step(who, caseId, command, body = {}) {
    const res = await who.call('POST', `/v1/cases/${caseId}/${command}`, body);
    if (res.status !== 200) {
      show(`case ${ref(caseId)}: ${who.sub} ${command} → ${res.status} ${res.body.code}`);
      return res;
    }
    const changes = (res.body.milestoneEvents ?? [])
      .filter((e) => ['MilestoneOpened', 'MilestoneMet', 'MilestoneWaived'].includes(e.type))
      .map((e) => `${e.type.replace('Milestone', '').toLowerCase()} ${e.milestone}`);
    show(`case ${ref(caseId)}: ${who.sub} ${command}${changes.length ? ` → ${changes.join(', ')}` : ''}`);
    return res;
  }

  // Course 2: her GP refers to the clinic, which contacts the municipality; coordination; treatment.
  const two = await register(
    hansen,
    {
      estimatedDueDate: dueDate(200),
      municipality: '851',
      referrer: { kind: 'gp', name: 'Lægehuset Hansen' },
      substances: ['cocaine'],
    },
    2,
  );
  await sleep(2_000);
  await step(hansen, two, 'refer-to-clinic');
  await sleep(9_000); // the GP forgets to notify the municipality: its deadline breaches and escalates
  await step(hansen, two, 'notify-municipality');
  await step(mia, two, 'confirm-notification-receipt');
  await step(mia, two, 'assign-coordinator', {
    coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' },
  });
  await sleep(2_000);
  await step(lis, two, 'record-clinic-visit');
  await step(alice, two, 'request-treatment', { kind: 'drugs' });
  await sleep(3_000);
  await step(mia, two, 'start-treatment');

  // Course 1: found by the shelter in the third trimester; everyone contacted the same day.
  const one = await register(
    shelter,
    {
      estimatedDueDate: dueDate(70),
      municipality: '851',
      referrer: { kind: 'shelter', name: 'Kirkens Korshær' },
      substances: ['opioids', 'benzodiazepines'],
    },
    1,
  );
  await step(shelter, one, 'refer-to-clinic');
  await step(shelter, one, 'notify-municipality');
  await sleep(2_000);
  await step(mia, one, 'confirm-notification-receipt');
  await sleep(6_000); // the assessment is late
  await step(mia, one, 'assess-notification', { outcome: 'investigate' });
  await step(mia, one, 'assign-coordinator', {
    coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' },
  });
  await step(alice, one, 'request-residential-placement');
  await step(mia, one, 'decide-residential-placement', { decision: 'granted', facility: 'facility:holmegaardshuset' });
  await step(mia, one, 'offer-retention-contract', { outcome: 'declined' });
  await sleep(4_000);
  await step(alice, one, 'record-network-meeting', { participants: ['municipality:851', 'clinic:1081'] });

  // Course 3: long-term methadone treatment, tells her practitioner in the first trimester.
  const three = await register(
    hansen,
    {
      estimatedDueDate: dueDate(230),
      municipality: '851',
      referrer: { kind: 'gp', name: 'Lægehuset Hansen' },
      substances: ['opioids'],
    },
    3,
  );
  await step(hansen, three, 'refer-to-clinic');
  await step(hansen, three, 'notify-municipality');
  await step(mia, three, 'confirm-notification-receipt');
  await step(mia, three, 'assess-notification', { outcome: 'support' });
  await step(mia, three, 'assign-coordinator', {
    coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' },
  });
  await sleep(3_000);
  await step(lis, three, 'record-clinic-visit');

  await sleep(12_000); // what is still open keeps climbing
  const open = (await mia.call('GET', '/v1/alerts?status=open')).body.items.length;
  const inbox = (await mia.call('GET', '/v1/alerts')).body.items.length;
  show(`the duty inbox of municipality:851 holds ${inbox} alerts, ${open} still open (GET /v1/alerts)`);
  for (const abort of streams) abort.abort();
  show('done: the servers stop now');
  return true;
});
