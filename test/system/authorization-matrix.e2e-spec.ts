import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  CASE_FIELD_CLASSES,
  discloseEvent,
  disclosureFor,
  eventClass,
  milestoneClass,
  roleFitsOrganisation,
  ROLES,
  ruleOfInstance,
  showsName,
  type CaseEventType,
  type Disclosure,
  type DisclosureCase,
  type DisclosureClass,
  type DisclosurePolicy,
  type Role,
} from '@app/pathway';
import { concern, send } from '@test/support/cases';
import { Client, Stack, type Response } from '@test/support/stack';
import { waitFor } from '@test/support/time';

/**
 * The authorization matrix, generated from /docs-json: every documented route × every role, each
 * with an organisation that has a part in one case (own) and a fitting one without (foreign), and
 * anonymous. A new route is covered the moment it is documented; one with a path parameter the
 * matrix cannot fill fails it until PATH_PARAMETERS says how.
 *
 * One case holds every kind of party: a GP registered it with her CPR number, referred it to the
 * clinic and notified the municipality, which assessed it, granted a place at a facility, asked for
 * treatment and recorded her consent to residential treatment. The reads run first, against that
 * case as seeded; then every command and other write, on the same case.
 */
const CPR = '030487-1234';
const CPR_FULL = [CPR, '0304871234'];
const CPR_MASKED = '030487-****';
/** Any form of her CPR number starts with her birth date. */
const CPR_ANY = '030487';

/** For each role: an organisation with a part in the case, and a fitting organisation without one. */
const ORGANISATIONS: { role: Role; own: string; foreign: string }[] = [
  { role: 'referrer', own: 'gp:hansen', foreign: 'gp:other-practice' },
  { role: 'clinic', own: 'clinic:1081', foreign: 'clinic:1082' },
  { role: 'municipality', own: 'municipality:851', foreign: 'municipality:101' },
  { role: 'facility', own: 'facility:holmegaardshuset', foreign: 'facility:kastaniegaarden' },
  { role: 'coordinator', own: 'clinic:1081', foreign: 'municipality:101' },
  { role: 'auditor', own: 'municipality:851', foreign: 'region:1084' },
  { role: 'admin', own: 'municipality:851', foreign: 'municipality:101' },
];
/** Callers beside those: the platform administrator administers every organisation, but has no part in any case. */
const ALSO_FOREIGN: { role: Role; organisation: string }[] = [{ role: 'admin', organisation: 'pathway:platform' }];

/**
 * Routes not answered as one plain request and response, and why. Each is still requested by every
 * caller and gets every assertion on what it does answer.
 */
const EXEMPTIONS: Record<string, { reason: string; request: (caller: Caller, url: string) => Promise<Response> }> = {
  'GET /v1/alerts/stream': {
    reason:
      'Server-Sent Events: the answer stays open; opened with an AbortController, only its status and first bytes read',
    request: openStream,
  },
};

/** What fills each path parameter, by the path up to it: one of the ids the test seeds. */
const PATH_PARAMETERS: Record<string, keyof Seeded> = {
  '/v1/cases/{id}': 'caseId',
  '/v1/alerts/{id}': 'alertId',
  '/v1/webhooks/{id}': 'webhookId',
  '/v1/organisations/{id}': 'organisationId',
  '/v1/organisations/{id}/people/{personId}': 'personId',
  '/v1/facilities/{id}': 'facilityId',
};

/** Writes run in the documented order, but these after all others, in this order. */
const LAST = [
  'POST /v1/cases/{id}/transfer-municipality',
  'POST /v1/cases/{id}/close-case',
  'DELETE /v1/webhooks/{id}',
  'DELETE /v1/organisations/{id}/people/{personId}',
];
const lateness = (o: { route: string }) => LAST.indexOf(o.route) + 1;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
/** The reads of the case, each checked against the disclosure in detail below (with the list, GET /v1/cases). */
const CASE_READS = ['', '/events', '/milestones', '/actions', '/audit'].map((tail) => `/v1/cases/{id}${tail}`);

interface Seeded {
  caseId: string;
  /** An open alert of the case. */
  alertId: string;
  /** A webhook of the case's municipality. */
  webhookId: string;
  /** The case's municipality. */
  organisationId: string;
  /** A residential facility the case has no part in (the platform administrator changes and retires it). */
  facilityId: string;
  /** A person of the case's municipality's directory (recorded when she signed in). */
  personId: string;
}

interface Caller {
  name: string;
  role: Role | null;
  organisation: string | null;
  part: 'own' | 'foreign' | 'anonymous';
  token: string | null;
  client: Client;
  /** What disclosureFor grants this caller in the case (none for anonymous). */
  disclosure: Disclosure | null;
}

interface Operation {
  route: string;
  method: (typeof METHODS)[number];
  template: string;
  url: string;
  body: unknown;
  public: boolean;
  roles: string[] | null;
}

interface Result {
  route: string;
  operation: Operation;
  caller: Caller;
  status: number;
  body: any;
  text: string;
}

async function openStream(caller: Caller, url: string): Promise<Response> {
  const abort = new AbortController();
  try {
    const res = await fetch(`${caller.client.baseUrl}${url}`, {
      headers: caller.token ? { authorization: `Bearer ${caller.token}` } : {},
      signal: abort.signal,
    });
    if (res.status !== 200 || !res.body) {
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    }
    const { value } = await res.body.getReader().read();
    return { status: res.status, headers: res.headers, body: new TextDecoder().decode(value) };
  } finally {
    abort.abort();
  }
}

/** Runs `run` on every item, `size` at a time. */
async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

const shows = (d: Disclosure, cls: DisclosureClass | 'identity' | undefined) =>
  cls === 'identity' ? d.identity !== 'none' : cls !== undefined && d.classes.has(cls);

describe('the authorization matrix: every documented route × every role × own and foreign organisation', () => {
  let stack: Stack;
  let receiver: Server;
  let id: string;
  let doc: any;
  let policy: DisclosurePolicy;
  let theCase: DisclosureCase;
  /** The case, its events and milestones as the responsible municipality sees them: everything. */
  let full: { view: Record<string, any>; events: any[]; milestones: any[] };
  let operations: Operation[];
  let callers: Caller[];
  let results: Result[];
  let seeded: Seeded;

  const roleOf = (caller: Caller) => caller.role as Role;
  const describeCaller = (r: Result) => `${r.route} as ${r.caller.name}`;
  const ofRoute = (route: string) => results.filter((r) => r.route === route);

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 1,
      env: {
        // Deadlines in seconds, so that the case has an open alert within seconds.
        PATHWAY_POLICY_FILE: path.resolve(__dirname, '..', 'policies', 'seconds.json'),
        RECONCILE_INTERVAL_MS: '2000',
        // The matrix is a few thousand requests from one address in a minute: the abuse limits are not under test here.
        RATE_LIMIT_PER_SUBJECT: '1000000',
        RATE_LIMIT_PER_ADDRESS: '1000000',
        RATE_LIMIT_SIGN_IN: '1000000',
      },
    });
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const municipality = await stack.as('municipality', 'municipality:851', 'mia');

    const registered = await gp.post('/v1/cases', concern({ cpr: CPR, note: 'Tremors at the consultation.' }));
    expect(registered.status).toBe(201);
    id = registered.body.id;
    await send(gp, id, 'refer-to-clinic');
    await send(gp, id, 'notify-municipality');
    await send(municipality, id, 'assess-notification', { outcome: 'investigate', note: 'Heroin since week 8.' });
    await send(municipality, id, 'request-residential-placement');
    await send(municipality, id, 'decide-residential-placement', {
      decision: 'granted',
      facility: 'facility:holmegaardshuset',
    });
    await send(municipality, id, 'request-treatment', { kind: 'alcohol' });
    await send(municipality, id, 'record-consent', { scope: 'residential', status: 'given' });
    // An open alert of the case (its deadlines are seconds long: the coordinator's assignment warns at 6 s).
    const alert = await waitFor(
      'an open alert of the case',
      async () => ((await municipality.get(`/v1/alerts?caseId=${id}&status=open`)).body.items as { id: string }[])[0],
    );

    // A webhook (delivered to a receiver of the test's) for the route that removes one.
    receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    const port = await new Promise<number>((r) =>
      receiver.listen(0, '127.0.0.1', () => r((receiver.address() as AddressInfo).port)),
    );
    const admin = await stack.as('admin', 'municipality:851', 'root');
    const webhook = await admin.post('/v1/webhooks', { url: `http://127.0.0.1:${port}/pathway` });
    expect(webhook.status).toBe(201);

    seeded = {
      caseId: id,
      alertId: alert.id,
      webhookId: webhook.body.id,
      organisationId: 'municipality:851',
      facilityId: 'facility:familiecentret-vibygaard',
      personId: 'mia',
    };

    const [docs, disclosure, view, events, milestones] = await Promise.all([
      stack.anonymous().get('/docs-json'),
      municipality.get('/v1/disclosure'),
      municipality.get(`/v1/cases/${id}`),
      municipality.get(`/v1/cases/${id}/events`),
      municipality.get(`/v1/cases/${id}/milestones`),
    ]);
    for (const res of [docs, disclosure, view, events, milestones]) expect(res.status).toBe(200);
    doc = docs.body;
    policy = disclosure.body.policy;
    full = { view: view.body, events: events.body.events, milestones: milestones.body.milestones };
    theCase = full.view as DisclosureCase;

    operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([template, ops]) =>
      METHODS.filter((m) => ops[m]).map((method): Operation => {
        const op = ops[method];
        const query = ((op.parameters ?? []) as any[])
          .filter((p) => p.in === 'query' && p.required)
          .map((p) => {
            if (p.example === undefined)
              throw new Error(`${template}: the required query parameter ${p.name} has no example`);
            return `${p.name}=${encodeURIComponent(String(p.example))}`;
          });
        return {
          route: `${method.toUpperCase()} ${template}`,
          method,
          template,
          url: `${fill(template)}${query.length ? `?${query.join('&')}` : ''}`,
          body: op.requestBody?.content?.['application/json']?.example ?? (method === 'get' ? undefined : {}),
          public: Array.isArray(op.security) && op.security.length === 0,
          roles: op['x-roles'] ?? null,
        };
      }),
    );

    const caller = async (role: Role, organisation: string, part: 'own' | 'foreign'): Promise<Caller> => {
      const token = await stack.token(role, organisation, `${role}-${part}`);
      return {
        name: `${role} of ${organisation} (${part})`,
        role,
        organisation,
        part,
        token,
        client: new Client(stack.baseUrl, token),
        disclosure: disclosureFor(policy, { role, organisations: [organisation] }, theCase),
      };
    };
    callers = [
      {
        name: 'anonymous',
        role: null,
        organisation: null,
        part: 'anonymous',
        token: null,
        client: stack.anonymous(),
        disclosure: null,
      },
      ...(await Promise.all(ORGANISATIONS.map((o) => caller(o.role, o.own, 'own')))),
      ...(await Promise.all(ORGANISATIONS.map((o) => caller(o.role, o.foreign, 'foreign')))),
      ...(await Promise.all(ALSO_FOREIGN.map((o) => caller(o.role, o.organisation, 'foreign')))),
    ];

    const request = async (operation: Operation, c: Caller): Promise<Result> => {
      const exemption = EXEMPTIONS[operation.route];
      const res = exemption
        ? await exemption.request(c, operation.url)
        : await c.client.request(operation.method.toUpperCase(), operation.url, {
            body: operation.body,
            // A command's answer then holds the case too: the CPR assertions cover it.
            headers: operation.method === 'get' ? {} : { prefer: 'return=representation' },
          });
      const text = typeof res.body === 'string' ? res.body : (JSON.stringify(res.body) ?? '');
      return { route: operation.route, operation, caller: c, status: res.status, body: res.body, text };
    };
    // The reads first, all of them against the case as seeded; then the writes, route by route
    // (each route's callers at once); last what ends the municipality's part in the case, and removals.
    const reads = operations.filter((o) => o.method === 'get');
    const writes = operations.filter((o) => o.method !== 'get').sort((a, b) => lateness(a) - lateness(b));
    results = await inBatches(
      reads.flatMap((o) => callers.map((c) => [o, c] as const)),
      8,
      ([o, c]) => request(o, c),
    );
    for (const o of writes) results.push(...(await Promise.all(callers.map((c) => request(o, c)))));
    const tally: Record<string, number> = {};
    for (const r of results)
      tally[`${r.operation.method.toUpperCase()} ${r.status}`] =
        (tally[`${r.operation.method.toUpperCase()} ${r.status}`] ?? 0) + 1;
    console.log(
      `authorization matrix: ${operations.length} operations × ${callers.length} callers; ${JSON.stringify(tally)}`,
    );
  });

  afterAll(async () => {
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    await stack?.stop();
  });

  /** A documented path with its parameters filled (PATH_PARAMETERS); one it cannot fill fails the matrix. */
  function fill(template: string): string {
    return template.replace(/\{([^}]+)\}/g, (param: string, _name: string, offset: number) => {
      const filled = PATH_PARAMETERS[template.slice(0, offset) + param];
      if (filled === undefined)
        throw new Error(`${template}: the matrix does not know how to fill ${param}; add it to PATH_PARAMETERS`);
      return seeded[filled];
    });
  }

  it('covers every documented operation with every role, own and foreign, and anonymous; its tables hold nothing stale', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(ORGANISATIONS.map((o) => o.role).sort()).toEqual([...ROLES].sort());
    for (const c of callers.filter((c) => c.part !== 'anonymous')) {
      expect([c.name, roleFitsOrganisation(roleOf(c), c.organisation!)]).toEqual([c.name, true]);
      // Own: a part in the case, by role and organisation; foreign: none (so every answer must hide the case).
      expect([c.name, c.disclosure!.parties.length > 0]).toEqual([c.name, c.part === 'own']);
      expect([c.name, theCase.parties.includes(c.organisation!)]).toEqual([c.name, c.part === 'own']);
    }
    // The case shows each form of her identity to someone, so that the CPR assertions can fail.
    expect(new Set(callers.map((c) => c.disclosure?.identity ?? 'none'))).toEqual(new Set(['full', 'masked', 'none']));
    for (const route of [...Object.keys(EXEMPTIONS), ...LAST]) expect(operations.map((o) => o.route)).toContain(route);
    for (const prefix of Object.keys(PATH_PARAMETERS))
      expect([prefix, Object.keys(doc.paths).some((p) => p.startsWith(prefix))]).toEqual([prefix, true]);
    for (const o of operations) expect([o.route, ofRoute(o.route).length]).toEqual([o.route, callers.length]);
  });

  it('never answers 5xx', () => {
    const failures = results
      .filter((r) => r.status >= 500)
      .map((r) => `${describeCaller(r)}: ${r.status} ${r.text.slice(0, 300)}`);
    expect(failures).toEqual([]);
  });

  it('answers anonymous callers 401 UNAUTHENTICATED, except on the routes documented with `security: []`', () => {
    const wrong = results
      .filter((r) => r.caller.part === 'anonymous')
      .filter((r) => (r.operation.public ? r.status === 401 : r.status !== 401 || r.body?.code !== 'UNAUTHENTICATED'))
      .map((r) => `${r.route}: ${r.status} ${r.body?.code ?? ''} (public: ${r.operation.public})`);
    expect(wrong).toEqual([]);
    expect(
      operations
        .filter((o) => o.public)
        .map((o) => o.route)
        .sort(),
    ).toEqual(
      ['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /v1/sign-in', 'POST /v1/sign-in/local'].sort(),
    );
  });

  it('answers a foreign organisation 404 CASE_NOT_FOUND on every case route, and never names the case anywhere', () => {
    const foreign = results.filter((r) => r.caller.part === 'foreign');
    const wrong = foreign
      .filter((r) => r.operation.template.startsWith('/v1/cases/{id}'))
      .filter((r) => r.status !== 404 || r.body?.code !== 'CASE_NOT_FOUND')
      .map((r) => `${describeCaller(r)}: ${r.status} ${r.body?.code ?? ''}`);
    expect(wrong).toEqual([]);
    const named = foreign
      .filter((r) => r.text.includes(id) || r.text.includes(full.view.reference))
      .map((r) => `${describeCaller(r)}: ${r.text.slice(0, 300)}`);
    expect(named).toEqual([]);
  });

  it('answers 403 ROLE_NOT_PERMITTED to a role not in a command’s x-roles', () => {
    const commands = operations.filter((o) => o.roles);
    expect(commands.length).toBeGreaterThan(30);
    const wrong = results
      .filter((r) => r.caller.part === 'own' && r.operation.roles && !r.operation.roles.includes(roleOf(r.caller)))
      .filter((r) => r.status !== 403 || r.body?.code !== 'ROLE_NOT_PERMITTED')
      .map((r) => `${describeCaller(r)}: ${r.status} ${r.body?.code ?? ''}`);
    expect(wrong).toEqual([]);
    // Every role is refused some command, and every role but those who only read may send some: else this tests nothing.
    for (const role of ROLES) expect([role, commands.some((o) => !o.roles!.includes(role))]).toEqual([role, true]);
    for (const role of ROLES.filter((r) => r !== 'auditor' && r !== 'admin'))
      expect([role, commands.some((o) => o.roles!.includes(role))]).toEqual([role, true]);
  });

  it('shows her CPR number in full only to identity full, masked only to masked, in no form to none, and never in lists or command answers', () => {
    const wrong: string[] = [];
    for (const r of results) {
      const identity = r.caller.disclosure?.identity ?? 'none';
      const inFull = CPR_FULL.some((form) => r.text.includes(form));
      const masked = r.text.includes(CPR_MASKED);
      const never = r.operation.method !== 'get' || r.operation.template === '/v1/cases';
      if (inFull && (identity !== 'full' || never))
        wrong.push(`${describeCaller(r)} (identity ${identity}): the full CPR number`);
      if (masked && (identity !== 'masked' || never))
        wrong.push(`${describeCaller(r)} (identity ${identity}): the masked CPR number`);
      if (!inFull && !masked && r.text.includes(CPR_ANY) && (identity === 'none' || never))
        wrong.push(`${describeCaller(r)} (identity ${identity}): her birth date`);
    }
    expect(wrong).toEqual([]);
    // And the case itself shows it in the allowed form.
    for (const r of ofRoute('GET /v1/cases/{id}').filter((r) => r.caller.part === 'own')) {
      const identity = r.caller.disclosure!.identity;
      const expected = identity === 'full' ? CPR : identity === 'masked' ? CPR_MASKED : undefined;
      expect([r.caller.name, r.body.cpr]).toEqual([r.caller.name, expected]);
    }
  });

  describe('the case’s read routes show each own caller what disclosureFor grants it', () => {
    const own = (route: string) => {
      const rs = ofRoute(route).filter((r) => r.caller.part === 'own');
      for (const r of rs) expect([describeCaller(r), r.status]).toEqual([describeCaller(r), 200]);
      return rs.map((r) => ({ r, d: r.caller.disclosure!, who: describeCaller(r) }));
    };
    /** The fields of the case the disclosure shows, by the field → class table. */
    // Her name is shown only with her identity in full (showsName): a name is not masked.
    const fieldsShown = (d: Disclosure) =>
      Object.keys(full.view).filter((k) =>
        k === 'name' ? showsName(d) : shows(d, CASE_FIELD_CLASSES[k as keyof typeof CASE_FIELD_CLASSES]),
      );

    it('every field of the case has a class, and the municipality sees every class', () => {
      expect(Object.keys(full.view).filter((k) => !(k in CASE_FIELD_CLASSES))).toEqual([]);
      for (const field of ['substances', 'consent', 'placement', 'treatment', 'cpr', 'stage', 'handoffs'])
        expect(full.view).toHaveProperty(field);
    });

    it('GET /v1/cases/{id} and its item in GET /v1/cases: exactly the fields of the classes granted', () => {
      for (const { r, d, who } of own('GET /v1/cases/{id}')) {
        expect([who, Object.keys(r.body).sort()]).toEqual([who, fieldsShown(d).sort()]);
        const kinds = (r.body.handoffs ?? []).map((h: { kind: string }) => h.kind).sort();
        const expectedKinds = (full.view.handoffs as { kind: string }[])
          .map((h) => h.kind)
          .filter((k) => k !== 'residential-placement' || d.classes.has('decisions'))
          .sort();
        expect([who, kinds]).toEqual([who, expectedKinds]);
        for (const n of r.body.notifications ?? [])
          expect([who, 'outcome' in n]).toEqual([who, d.classes.has('decisions')]);
        // Free text and substances are clinical wherever they are.
        expect([who, /Tremors|Heroin|alcohol/.test(r.text)]).toEqual([who, d.classes.has('clinical')]);
      }
      for (const { r, d, who } of own('GET /v1/cases')) {
        const item = (r.body.items as { id: string }[]).find((c) => c.id === id);
        expect([who, Object.keys(item ?? {}).sort()]).toEqual([
          who,
          fieldsShown(d)
            .filter((k) => k !== 'cpr' && k !== 'name' && k !== 'earlierCases')
            .sort(),
        ]);
      }
    });

    it('GET /v1/cases/{id}/events: the events of the classes granted, each without the fields of other classes', () => {
      const facts = full.events.filter((e) => e.kind === 'fact');
      for (const { r, d, who } of own('GET /v1/cases/{id}/events')) {
        const shown = r.body.events as {
          kind: string;
          type: CaseEventType;
          position: number;
          data: Record<string, unknown>;
        }[];
        for (const e of shown)
          expect([who, e.type, d.classes.has(eventClass(e.type, e.data))]).toEqual([who, e.type, true]);
        const expected = facts.flatMap((e) => {
          const data = discloseEvent(d, e.type, e.data);
          return data ? [{ position: e.position, type: e.type, data }] : [];
        });
        const got = shown
          .filter((e) => e.kind === 'fact')
          .map(({ position, type, data }) => ({ position, type, data }));
        expect([who, got]).toEqual([who, expected]);
        expect([who, /Tremors|Heroin/.test(r.text)]).toEqual([who, d.classes.has('clinical')]);
        expect([who, r.text.includes('"outcome"')]).toEqual([who, d.classes.has('decisions')]);
        expect([who, r.text.includes('cprRecorded')]).toEqual([who, d.identity !== 'none']);
      }
    });

    it('GET /v1/cases/{id}/milestones: exactly the milestones of the classes granted', () => {
      for (const { r, d, who } of own('GET /v1/cases/{id}/milestones')) {
        const ids = (r.body.milestones as { milestone: string }[]).map((m) => m.milestone).sort();
        const expected = (full.milestones as { milestone: string; rule: string }[])
          .filter((m) => d.classes.has(milestoneClass(m.rule)))
          .map((m) => m.milestone)
          .sort();
        expect([who, ids]).toEqual([who, expected]);
      }
    });

    it('GET /v1/cases/{id}/actions: only commands of the caller’s role, about what it is shown', () => {
      const rolesOf = (command: string) =>
        operations.find((o) => o.template === `/v1/cases/{id}/${command}`)?.roles ?? [];
      for (const { r, d, who } of own('GET /v1/cases/{id}/actions')) {
        for (const a of r.body.actions as { command: string; milestone?: string }[]) {
          const cls = a.milestone ? milestoneClass(ruleOfInstance(a.milestone)) : 'logistics';
          expect([who, a.command, d.classes.has(cls), rolesOf(a.command).includes(roleOf(r.caller))]).toEqual([
            who,
            a.command,
            true,
            true,
          ]);
        }
      }
    });

    it('GET /v1/cases/{id}/audit: the writes of events of the classes granted; others’ reads only with the logistics', () => {
      const bySequence = new Map(full.events.map((e) => [e.sequence as number, e]));
      const facts = full.events.filter((e) => e.kind === 'fact');
      for (const { r, d, who } of own('GET /v1/cases/{id}/audit')) {
        const writes = r.body.writes as { sequence: number; type: CaseEventType; kind: string }[];
        for (const w of writes.filter((w) => bySequence.has(w.sequence))) {
          const e = bySequence.get(w.sequence);
          expect([who, w.type, d.classes.has(eventClass(e.type, e.data))]).toEqual([who, w.type, true]);
        }
        expect([who, writes.filter((w) => w.kind === 'fact').map((w) => w.sequence)]).toEqual([
          who,
          facts.filter((e) => d.classes.has(eventClass(e.type, e.data))).map((e) => e.sequence),
        ]);
        if (!d.classes.has('logistics'))
          for (const read of r.body.reads as { reader: { organisation: string } }[])
            expect([who, read.reader.organisation]).toEqual([who, r.caller.organisation]);
      }
    });

    it('the work queue, alerts, referrals and command answers: only what the classes granted allow', () => {
      const ofCase = <T extends { caseId: string }>(items: T[] | undefined) =>
        (items ?? []).filter((i) => i.caseId === id);
      for (const { r, d, who } of own('GET /v1/milestones'))
        for (const m of ofCase<{ caseId: string; rule: string }>(r.body.milestones))
          expect([who, m.rule, d.classes.has(milestoneClass(m.rule))]).toEqual([who, m.rule, true]);
      for (const { r, d, who } of own('GET /v1/alerts'))
        for (const a of ofCase<{ caseId: string; rule: string }>(r.body.items))
          expect([who, a.rule, d.classes.has(milestoneClass(a.rule))]).toEqual([who, a.rule, true]);
      for (const { r, d, who } of own('GET /v1/referrals')) {
        const text = JSON.stringify(ofCase(r.body.items));
        expect([who, /residential|facility:/.test(text)]).toEqual([
          who,
          /residential|facility:/.test(text) && d.classes.has('decisions'),
        ]);
      }
      // Until the case changes municipality (LAST), every own caller's part in it is the one the reads had.
      const answers = results.filter(
        (r) =>
          r.caller.part === 'own' &&
          r.operation.method === 'post' &&
          r.operation.template.startsWith('/v1/cases/{id}/') &&
          !LAST.includes(r.route) &&
          r.status === 200,
      );
      expect(answers.length).toBeGreaterThan(20);
      for (const r of answers) {
        const d = r.caller.disclosure!;
        const hidden = Object.keys(r.body.case ?? {}).filter(
          (k) => k === 'cpr' || !shows(d, CASE_FIELD_CLASSES[k as keyof typeof CASE_FIELD_CLASSES]),
        );
        expect([describeCaller(r), r.body.case ? 'a case' : 'none', hidden]).toEqual([describeCaller(r), 'a case', []]);
      }
    });

    it('the detailed reads cover every case read route documented', () => {
      const caseReads = operations.filter((o) => o.method === 'get' && o.template.startsWith('/v1/cases/{id}'));
      expect(caseReads.map((o) => o.template).sort()).toEqual([...CASE_READS].sort());
    });
  });
});
