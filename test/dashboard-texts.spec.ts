import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../apps/api/src/cases/command-catalogue';
import { ANNUAL_DEFINITIONS, HANDLING_TIME_DEFINITIONS } from '@app/audit';
import { CLINIC_IDS, MUNICIPALITY_CODES } from '@app/pathway';
import { ERROR_TEXTS } from '../apps/dashboard/src/error-texts';
import { FIELD_HELP, fieldHelp } from '../apps/dashboard/src/field-help';
import { DEFINITIONS_DA, definitionText } from '../apps/dashboard/src/report-definitions';
import {
  COMMAND_LABELS,
  FIELD_LABELS,
  INTERVAL_LABELS,
  STAGE_LABELS,
  VALUE_LABELS,
} from '../apps/dashboard/src/labels';
import { TEXTS } from '../apps/dashboard/src/texts';

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: string[];
  description?: string;
  type?: string;
};

/** Every field of every command body, nested ones too: [command, pointer, name, schema]. */
function commandFields(): [string, string, string, Schema][] {
  const fields: [string, string, string, Schema][] = [];
  const walk = (command: string, schema: Schema, at: string) => {
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      fields.push([command, `${at}/${name}`, name, field]);
      walk(command, field, `${at}/${name}`);
    }
  };
  for (const [command, entry] of Object.entries(COMMANDS)) walk(command, entry.body as Schema, '');
  return fields;
}

describe('the command forms in both languages', () => {
  const fields = commandFields();

  it('finds the fields of the command catalogue (nested ones too)', () => {
    expect(fields.map(([command, pointer]) => `${command}${pointer}`)).toEqual(
      expect.arrayContaining([
        'register-concern/referrer/kind',
        'assign-coordinator/coordinator/id',
        'close-case/reason',
      ]),
    );
  });

  it('has Danish and English help for every field a command form shows', () => {
    const missing = fields
      .filter(([, , name, schema]) => {
        const description = schema.description ?? schema.items?.description;
        return !fieldHelp(name, description, 'da')?.trim() || !fieldHelp(name, description, 'en')?.trim();
      })
      .map(([command, pointer, , schema]) => `${command}${pointer} (“${schema.description ?? ''}”)`);
    expect(missing).toEqual([]);
  });

  it('gives a field that means different things in different commands the help of each meaning', () => {
    const help = (command: keyof typeof COMMANDS, name: string) => {
      const schema = (COMMANDS[command].body as Schema).properties?.[name];
      return fieldHelp(name, schema?.description, 'da');
    };
    expect(help('pause-milestone', 'reason')).toMatch(/^Hvorfor fristen holder pause/);
    expect(help('waive-milestone', 'reason')).toMatch(/^Hvorfor fristen ikke længere gælder/);
    expect(help('close-case', 'reason')).toBe('Hvorfor sagen lukkes.');
    expect(help('request-treatment', 'kind')).toMatch(/^Rusmiddelbehandling/);
    expect(fieldHelp('reason', 'A description nobody wrote help for.', 'da')).toBeUndefined();
  });

  it('has no help for a field or a meaning no command has any more', () => {
    const names = new Set(fields.map(([, , name]) => name));
    const descriptions = new Set(fields.map(([, , , schema]) => schema.description ?? schema.items?.description));
    const stale = Object.entries(FIELD_HELP).flatMap(([name, entry]) =>
      !names.has(name)
        ? [name]
        : 'byDescription' in entry
          ? Object.keys(entry.byDescription)
              .filter((d) => !descriptions.has(d))
              .map((d) => `${name}: ${d}`)
          : [],
    );
    expect(stale).toEqual([]);
  });

  it('has a Danish and an English label for every field and every choice a command form shows', () => {
    const missingFields = [...new Set(fields.map(([, , name]) => name))].filter(
      (name) => !FIELD_LABELS[name]?.da || !FIELD_LABELS[name]?.en,
    );
    expect(missingFields).toEqual([]);
    // Municipalities and clinics are named from the reference data (organisations.ts), not labelled.
    const named = new Set<string>([...MUNICIPALITY_CODES, ...CLINIC_IDS]);
    const choices = new Set(
      fields
        .flatMap(([, , , schema]) => [...(schema.enum ?? []), ...(schema.items?.enum ?? [])])
        .filter((v) => !named.has(v)),
    );
    expect([...choices].filter((value) => !VALUE_LABELS[value]?.da || !VALUE_LABELS[value]?.en)).toEqual([]);
  });
});

/**
 * Words a Danish caseworker does not use for these things (docs/glossary.md): "revisor" is an
 * accountant (the auditor is "tilsyn"); "misbrug" is stigmatising ("rusmiddel…"); the case
 * coordinator is "tovholder" (the pathway policy's word), never "koordinator"; the contract is a
 * "tilbageholdelsesaftale"; the shared inbox is a "funktionspostkasse".
 */
const BANNED = [/revisor/i, /misbrug/i, /koordinator/i, /tilbageholdelseskontrakt/i, /vagtindbak/i];

describe('the reports’ definitions in Danish', () => {
  it('has a Danish text for every definition the reports give, and none for a definition they no longer give', () => {
    const given = [...HANDLING_TIME_DEFINITIONS, ...ANNUAL_DEFINITIONS];
    expect(given.filter((english) => !DEFINITIONS_DA[english]?.trim())).toEqual([]);
    expect(Object.keys(DEFINITIONS_DA).filter((english) => !given.includes(english))).toEqual([]);
    expect(definitionText(ANNUAL_DEFINITIONS[1], 'da')).toMatch(/^Kvinder henvist til døgnbehandling/);
    expect(definitionText(ANNUAL_DEFINITIONS[1], 'en')).toBe(ANNUAL_DEFINITIONS[1]);
    expect(definitionText('Something new.', 'da')).toBe('(På engelsk fra tjenesten:) Something new.');
  });
});

describe('the Danish glossary', () => {
  const danish: [string, string][] = [
    ...Object.entries(TEXTS.da).map(([key, text]): [string, string] => [`texts.ts ${key}`, text]),
    ...Object.entries({ STAGE_LABELS, COMMAND_LABELS, FIELD_LABELS, VALUE_LABELS, INTERVAL_LABELS }).flatMap(
      ([table, labels]) => Object.entries(labels).map(([key, l]): [string, string] => [`${table} ${key}`, l.da]),
    ),
    ...Object.entries(DEFINITIONS_DA).map(([english, text]): [string, string] => [`DEFINITIONS_DA ${english}`, text]),
    ...Object.entries(ERROR_TEXTS).map(([code, text]): [string, string] => [`ERROR_TEXTS ${code}`, text.da]),
    ...Object.entries(FIELD_HELP).flatMap(([name, entry]) =>
      ('byDescription' in entry ? Object.values(entry.byDescription) : [entry]).map((h): [string, string] => [
        `FIELD_HELP ${name}`,
        h.da,
      ]),
    ),
  ];

  it('uses none of the words a Danish caseworker would not use in the page’s Danish texts and labels', () => {
    expect(danish.length).toBeGreaterThan(300);
    expect(danish.filter(([, text]) => BANNED.some((word) => word.test(text)))).toEqual([]);
  });

  it('uses none of them in the demo’s Danish narration', () => {
    const demo = fs.readFileSync(path.join(__dirname, '..', 'scripts', 'demo.mjs'), 'utf8');
    expect(demo.split('\n').filter((line) => BANNED.some((word) => word.test(line)))).toEqual([]);
  });

  it('names the auditor "Tilsyn" and the one who owns the course "Tovholder", as the policy’s milestone does', () => {
    expect(TEXTS.da['role.auditor']).toBe('Tilsyn');
    expect(TEXTS.da['role.coordinator']).toBe('Tovholder');
    expect(COMMAND_LABELS['assign-coordinator'].da).toBe('Udpeg tovholder');
    expect(VALUE_LABELS.substance_treatment.da).toBe('rusmiddelbehandling');
  });

  it('has the same keys with text in both languages', () => {
    expect(Object.keys(TEXTS.en).sort()).toEqual(Object.keys(TEXTS.da).sort());
    expect(Object.entries(TEXTS.en).filter(([, text]) => !text.trim())).toEqual([]);
  });
});
