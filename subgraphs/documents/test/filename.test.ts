import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../../../platform/http/content-disposition.js';
import { cleanOriginalFilename, sanitizeFilename } from '../services/filename.js';

describe('file names', () => {
  it('keep only the last path segment, without controls, reserved characters or bidi tricks', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('C:\\Users\\x\\report.pdf')).toBe('report.pdf');
    expect(sanitizeFilename('in\u0000voice\u0007.pdf')).toBe('invoice.pdf');
    expect(sanitizeFilename('photo\u202Egnp.exe')).toBe('photognp.exe');
    expect(sanitizeFilename('a<b>c:d"e|f?g*h.txt')).toBe('a_b_c_d_e_f_g_h.txt');
    expect(sanitizeFilename('  ..hidden. ')).toBe('hidden');
    expect(sanitizeFilename('CON.txt')).toBe('_CON.txt');
  });

  it('are NFC-normalized and bounded to 255 bytes with the extension kept', () => {
    expect(sanitizeFilename('Cafe\u0301.txt')).toBe('Caf\u00e9.txt');
    const long = sanitizeFilename(`${'é'.repeat(300)}.pdf`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith('é.pdf')).toBe(true);
  });

  it('refuse names that are nothing once cleaned', () => {
    for (const name of ['', '..', '/', '\u0000', ' . ']) expect(() => sanitizeFilename(name)).toThrow(/empty/);
  });

  it('keep the original for display, cleaned of controls only', () => {
    expect(cleanOriginalFilename('../a\u0000b.txt')).toBe('../ab.txt');
  });

  it('travel in Content-Disposition with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Résumé "final".pdf')).toBe(`attachment; filename="Resume _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`);
    expect(contentDisposition("it's (1)*.txt")).toBe(`attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`);
  });
});
