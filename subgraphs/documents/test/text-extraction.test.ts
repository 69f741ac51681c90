import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../extraction/clean-text.js';
import { extractText, type ExtractionLimits } from '../extraction/extract-text.js';
import { odtXmlText } from '../extraction/odt-text.js';
import { sniffContentType } from '../services/content-type.js';
import { parseHeadline, snippetHtml } from '../services/search-snippet.js';
import { sampleDocx, sampleOdt, samplePdf } from './sample-files.js';

const limits = (overrides: Partial<ExtractionLimits> = {}): ExtractionLimits => ({
  maxChars: 10_000,
  deadline: Date.now() + 60_000,
  maxUnpackedBytes: 1024 ** 2,
  ...overrides,
});

/** What the indexer does: the type sniffed from the bytes, then the text. */
async function textOf(bytes: Buffer, filename: string, options?: Partial<ExtractionLimits>) {
  const type = await sniffContentType(bytes.subarray(0, 4100), filename);
  return { type, extracted: await extractText(bytes, type, limits(options)) };
}

describe('text extraction', () => {
  it('reads every page of a PDF', async () => {
    const { type, extracted } = await textOf(await samplePdf(['Quarterly zebrafish report', 'Second page: photosynthesis']), 'r.pdf');
    expect(type).toBe('application/pdf');
    expect(extracted).toEqual({ supported: true, text: 'Quarterly zebrafish report\nSecond page: photosynthesis' });
  });

  it('reads the paragraphs of DOCX and ODT documents', async () => {
    // The docx library lists the archive's types last, past the 4 KiB an upload is typed from: the indexer types it from all its bytes.
    const docx = await textOf(await sampleDocx(['Minutes of the board', 'Budget for the marimba workshop']), 'm.docx');
    expect(docx.type).toBe('application/zip');
    expect(docx.extracted).toEqual({ supported: true, text: 'Minutes of the board\nBudget for the marimba workshop' });
    const odt = await textOf(sampleOdt(['Syllabus & <notes>', 'Pendulum experiments']), 's.odt');
    expect(odt.type).toBe('application/vnd.oasis.opendocument.text');
    expect(odt.extracted).toEqual({ supported: true, text: 'Syllabus & <notes>\nPendulum experiments' });
  });

  it('reads text files, and has nothing for types without text', async () => {
    expect((await textOf(Buffer.from('id,name\n1,Kestrel\n'), 'birds.csv')).extracted).toEqual({ supported: true, text: 'id,name\n1,Kestrel' });
    expect((await textOf(Buffer.from('# Plan\n\nShip it'), 'plan.md')).extracted).toEqual({ supported: true, text: '# Plan\nShip it' });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    expect((await textOf(png, 'logo.png')).extracted).toEqual({ supported: false });
  });

  it('keeps at most maxChars characters and stops reading pages there', async () => {
    const pdf = await samplePdf(['alpha beta gamma', 'delta epsilon', 'zeta']);
    expect((await textOf(pdf, 'x.pdf', { maxChars: 10 })).extracted).toEqual({ supported: true, text: 'alpha beta' });
    expect(cleanText('a\u0000b\u0002c\u0003d  e\t\tf \n\n g', 100)).toBe('a b c d e f\ng');
    expect(cleanText('ab\u{1F600}', 3)).toBe('ab');
  });

  it('throws on a broken file, a passed deadline and an archive that unpacks too far', async () => {
    await expect(extractText(Buffer.from('%PDF-1.7\nnot really a pdf'), 'application/pdf', limits())).rejects.toThrow();
    await expect(extractText(await samplePdf(['late']), 'application/pdf', limits({ deadline: Date.now() - 1 }))).rejects.toThrow(/too long/);
    const bomb = Buffer.from(zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.text'), 'content.xml': new Uint8Array(4 * 1024 ** 2) }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(extractText(bomb, 'application/vnd.oasis.opendocument.text', limits())).rejects.toThrow(/unpacks to more than/);
  });

  it('drops ODT markup and decodes its entities', () => {
    const xml = '<office:body><text:h>Title</text:h><text:p>a<text:s/>b<text:tab/>c&amp;d&#x263A;<text:line-break/>e</text:p></office:body>';
    expect(odtXmlText(xml)).toBe('Title\na b c&d\u263A\ne\n');
  });
});

describe('search snippets', () => {
  it('turn headline markers into ranges and escaped HTML', () => {
    const snippet = parseHeadline('the \u0002<fox>\u0003 and the \u0002fox\u0003!');
    expect(snippet).toEqual({
      text: 'the <fox> and the fox!',
      highlights: [
        { start: 4, length: 5 },
        { start: 18, length: 3 },
      ],
    });
    expect(snippetHtml(snippet)).toBe('the <mark>&lt;fox&gt;</mark> and the <mark>fox</mark>!');
  });
});
