/**
 * Node reads header values as Latin-1, one character per byte, so a value a
 * client sent as UTF-8 ("Pässwörd€", curl's and browsers' bytes) arrives as
 * mojibake. `headerText` gives back what the client meant: the bytes decoded
 * as UTF-8 when they are valid UTF-8, else the Latin-1 reading (older clients
 * that sent Latin-1 bytes). Text whose Latin-1 bytes also happen to be valid
 * UTF-8 ("Ã©") is read as UTF-8: no real password is likely to look like that.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function headerText(value: string): string {
  // Plain ASCII reads the same either way: the common case costs one test.
  if (!/[^\x00-\x7f]/.test(value)) return value;
  try {
    return utf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}
