import {
  CLINIC_IDS,
  MUNICIPALITIES,
  ORGANISATIONS,
  REGIONS,
  clinicForMunicipality,
  findMunicipality,
} from './organisations';

describe('reference data', () => {
  it('has the 98 municipalities, unique 3-digit codes, spread over the regions as in Denmark', () => {
    expect(MUNICIPALITIES).toHaveLength(98);
    expect(new Set(MUNICIPALITIES.map((m) => m.code)).size).toBe(98);
    expect(MUNICIPALITIES.every((m) => /^\d{3}$/.test(m.code))).toBe(true);
    const count = (region: string) => MUNICIPALITIES.filter((m) => m.region === region).length;
    expect([count('1081'), count('1082'), count('1083'), count('1084'), count('1085')]).toEqual([11, 19, 22, 29, 17]);
  });

  it('places the example municipalities of domain.md in their regions', () => {
    expect(findMunicipality('101')).toEqual({ code: '101', name: 'København', region: '1084' });
    expect(findMunicipality('751')).toEqual({ code: '751', name: 'Aarhus', region: '1082' });
    expect(findMunicipality('851')).toEqual({ code: '851', name: 'Aalborg', region: '1081' });
  });

  it('has one clinic per region and maps each municipality to its region clinic', () => {
    const clinics = ORGANISATIONS.filter((o) => o.kind === 'clinic');
    expect(clinics.map((c) => c.region).sort()).toEqual(REGIONS.map((r) => r.code).sort());
    expect(clinics.map((c) => c.id)).toEqual(CLINIC_IDS);
    for (const m of MUNICIPALITIES) {
      const clinic = clinics.find((c) => c.id === clinicForMunicipality(m.code));
      expect(clinic?.region).toBe(m.region);
    }
    expect(clinicForMunicipality('461')).toBe('clinic:1083');
    expect(clinicForMunicipality('999')).toBeUndefined();
  });

  it('gives every organisation a unique id of the form kind:id', () => {
    const ids = ORGANISATIONS.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of ORGANISATIONS) {
      expect(o.id).toMatch(o.kind === 'platform' ? /^pathway:platform$/ : new RegExp(`^${o.kind}:[a-z0-9-]+$`));
    }
    expect(ORGANISATIONS.filter((o) => o.kind === 'region' || o.kind === 'municipality')).toHaveLength(5 + 98);
  });
});
