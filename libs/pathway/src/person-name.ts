import { containsCpr } from './cpr';
import { refuse } from './case/domain-error';

/** The longest name kept, in characters after trimming. */
export const NAME_MAX_LENGTH = 200;
/** The fewest letters a word of a name has to be searched by. */
export const NAME_WORD_MIN_LETTERS = 2;

/** Control characters (white space such as a line break is made a space first): never part of a name. */
const CONTROL = /\p{Cc}/u;
/** What separates the words of a name: anything that is not a letter or a combining mark. */
const NOT_LETTERS = /[^\p{L}\p{M}]+/u;

/**
 * Her full name as it is kept (encrypted, beside the CPR number): trimmed, runs of white space made
 * one space. Refused with NAME_INVALID when empty, longer than NAME_MAX_LENGTH or holding a control
 * character, and with NAME_CONTAINS_CPR when it holds a CPR number (a name field is no place for one).
 */
export function parsePersonName(input: string): string {
  const name = input.trim().replace(/\s+/gu, ' ');
  if (name.length === 0) refuse('NAME_INVALID', 'the name is empty');
  if ([...name].length > NAME_MAX_LENGTH)
    refuse('NAME_INVALID', `the name is longer than ${NAME_MAX_LENGTH} characters`);
  if (CONTROL.test(name)) refuse('NAME_INVALID', 'the name contains a control character');
  if (containsCpr(name)) refuse('NAME_CONTAINS_CPR', 'the name contains a CPR number; send it as `cpr`');
  return name;
}

/**
 * The words a name is found by: Unicode NFKC, lower case (the Danish letters æ, ø and å kept as
 * they are), split at everything that is not a letter, each word of at least
 * NAME_WORD_MIN_LETTERS letters, once each. The same for a stored name and for a search, so
 * "ANNA  jensen" and "Anna Marie Jensen" share "anna" and "jensen".
 */
export function nameWords(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKC')
    .split(NOT_LETTERS)
    .filter((w) => [...w.replace(/\p{M}/gu, '')].length >= NAME_WORD_MIN_LETTERS);
  return [...new Set(words)];
}

/**
 * Refuses a note (free text, kept in the events for ever) that shares a word of her name (nameWords:
 * two letters or more, in any case): the name is kept only encrypted beside the events, so a note
 * sent with it must leave it out. NOTE_CONTAINS_NAME names neither the word nor the name.
 */
export function checkNoteLeavesNameOut(note: string | undefined, name: string): void {
  if (note === undefined) return;
  const words = new Set(nameWords(name));
  if (nameWords(note).some((word) => words.has(word)))
    refuse('NOTE_CONTAINS_NAME', 'the note contains a word of her name; leave her name out of the note');
}
