import type { Principal } from '@app/auth';
import { defaultDisclosurePolicy } from '@app/pathway';
import { CaseDisclosure } from './disclosure';
import { FilterNotShownError } from './errors';

const disclosure = new CaseDisclosure(defaultDisclosurePolicy());
const gp: Principal = { sub: 'dr-hansen', role: 'referrer', organisations: ['gp:hansen'] };
const mia: Principal = { sub: 'mia', role: 'municipality', organisations: ['municipality:851'] };

describe('CaseDisclosure.requireFiltersShown', () => {
  it('refuses a role not always shown the class the filters given, naming each of them and no other', () => {
    let refused: unknown = null;
    try {
      disclosure.requireFiltersShown(gp, 'logistics', { stage: true, coordinator: false, sort: true });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(FilterNotShownError);
    expect(refused).toMatchObject({ code: 'FILTER_NOT_SHOWN', details: { fields: ['stage', 'sort'] } });
  });

  it('lets through no filter at all, and any filter of a role always shown the class', () => {
    expect(() => disclosure.requireFiltersShown(gp, 'logistics', { stage: false, mine: false })).not.toThrow();
    expect(() => disclosure.requireFiltersShown(mia, 'logistics', { stage: true, assignee: true })).not.toThrow();
  });
});
