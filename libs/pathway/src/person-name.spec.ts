import { DomainError } from './case/domain-error';
import { NAME_MAX_LENGTH, checkNoteLeavesNameOut, nameWords, parsePersonName } from './person-name';

const refusal = (input: string) => {
  try {
    parsePersonName(input);
  } catch (error) {
    return (error as DomainError).code;
  }
  return null;
};

describe('parsePersonName', () => {
  it('trims her name and makes runs of white space one space', () => {
    expect(parsePersonName('  Anna   Marie\tJensen ')).toBe('Anna Marie Jensen');
    expect(parsePersonName('Søs Ærø-Åberg')).toBe('Søs Ærø-Åberg');
  });

  it('refuses an empty name, a name too long and control characters with NAME_INVALID', () => {
    expect(refusal('   ')).toBe('NAME_INVALID');
    expect(refusal('a'.repeat(NAME_MAX_LENGTH + 1))).toBe('NAME_INVALID');
    expect(refusal(`  ${'a'.repeat(NAME_MAX_LENGTH)}  `)).toBeNull();
    expect(refusal('Anna\u0007 Jensen')).toBe('NAME_INVALID');
    expect(refusal('Anna\u001bJensen')).toBe('NAME_INVALID');
    // Line breaks and tabs are white space: one space.
    expect(parsePersonName('Anna\u2028Marie\nJensen')).toBe('Anna Marie Jensen');
  });

  it('refuses a name holding a CPR number, in any of its forms, with NAME_CONTAINS_CPR', () => {
    for (const name of ['Anna 1203854328', 'Anna Jensen 120385-4328', '120385 4328'])
      expect(refusal(name)).toBe('NAME_CONTAINS_CPR');
    // Digits that are no CPR number are a name's business.
    expect(refusal('Anna Jensen 2')).toBeNull();
  });
});

describe('nameWords', () => {
  it('lower-cases and splits at whatever is not a letter, keeping æ, ø and å', () => {
    expect(nameWords('Søs ÆRØ-Åberg')).toEqual(['søs', 'ærø', 'åberg']);
    expect(nameWords("Anna-Marie O'Brien Jensen")).toEqual(['anna', 'marie', 'brien', 'jensen']);
  });

  it('normalises with NFKC, so that composed and decomposed letters and compatibility forms are one word', () => {
    expect(nameWords('A\u030Aberg')).toEqual(nameWords('Åberg'));
    expect(nameWords('ＪＥＮＳＥＮ')).toEqual(['jensen']);
    expect(nameWords('Ångström')).toEqual(nameWords('ÅNGSTRÖM'));
  });

  it('leaves out words of fewer than two letters and repeats', () => {
    expect(nameWords('Anna M. Jensen jensen')).toEqual(['anna', 'jensen']);
    expect(nameWords('A. B.')).toEqual([]);
  });
});

describe('checkNoteLeavesNameOut', () => {
  const refusal = (note: string | undefined, name: string) => {
    try {
      checkNoteLeavesNameOut(note, name);
      return null;
    } catch (e) {
      return e instanceof DomainError ? [e.code, e.message] : e;
    }
  };

  it('refuses a note sharing a word of two letters or more with her name, in any case or form, naming neither', () => {
    for (const note of ['Anna was seen today', 'ringede til JENSEN', 'Østergaard-familien', 'ﬁ ANNA.'])
      expect(refusal(note, 'Anna Marie Jensen Østergaard')).toEqual([
        'NOTE_CONTAINS_NAME',
        'the note contains a word of her name; leave her name out of the note',
      ]);
  });

  it('lets a note through that shares no word (a part of a word, or a one-letter word, is no word of hers)', () => {
    expect(refusal('Annabelle called; a visit is planned', 'Anna A Jensen')).toBeNull();
    expect(refusal(undefined, 'Anna Jensen')).toBeNull();
  });
});
