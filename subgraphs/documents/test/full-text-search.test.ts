/**
 * Search inside documents, end to end: real PDF, DOCX, ODT and text files
 * uploaded through signed URLs, indexed in the background by the event
 * consumer, found by a word inside, ranked, highlighted, and filtered by
 * company and permission exactly like the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';
import { sampleDocx, sampleOdt, samplePdf } from './sample-files.js';

let docs: DocumentsPlatform;
beforeAll(async () => {
  docs = await startDocumentsPlatform({ DOCUMENTS_INDEX_CONTENT: 'true' });
});
afterAll(() => docs?.stop());

const TASK = DEMO_ERP.tasks[1].id;
const GLOBEX_TASK = DEMO_ERP.tasks[3].id;
const PHYSICS = '101';

async function ok(who: string, query: string, variables?: Record<string, unknown>) {
  const { body } = await docs.call(who, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data;
}

const upload = (who: string, filename: string, bytes: Buffer, target: { entityType: string; entityId: string } = { entityType: 'task', entityId: TASK }) =>
  docs.uploadAs(who, { ...target, filename }, bytes, 'id version mimeType');
const uploadVersion = (who: string, documentId: string, bytes: Buffer) => docs.uploadAs(who, { documentId }, bytes, 'id version');

/** Waits (as long as the test may run) until the indexer has dealt with this version of the document. */
async function indexed(who: string, documentId: string, version = 1): Promise<{ status: string; error: string | null; version: number }> {
  for (;;) {
    const state = (await ok(who, `{ document(id: "${documentId}") { contentIndex { status error version } } }`)).document.contentIndex;
    if (state.status !== 'pending' && state.version === version) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const SEARCH = `query($search: String!) { documents(search: $search) { id filename searchRank searchSnippet { text highlights { start length } html } } }`;
const search = async (who: string, text: string) => (await ok(who, SEARCH, { search: text })).documents as any[];
const ids = (hits: { id: string }[]) => hits.map((hit) => hit.id);
const highlighted = (snippet: { text: string; highlights: { start: number; length: number }[] }) =>
  snippet.highlights.map(({ start, length }) => snippet.text.slice(start, start + length));

describe('full-text search', () => {
  let pdf: { id: string };
  let docx: { id: string };
  let odt: { id: string };
  let text: { id: string };

  beforeAll(async () => {
    pdf = await upload('maya.manager', 'report.pdf', await samplePdf(['Survey of the wetlands', 'The axolotl population doubled in spring']));
    docx = await upload('maya.manager', 'minutes.docx', await sampleDocx(['Board minutes', 'We approved the marimba workshop budget']));
    odt = await upload('maya.manager', 'syllabus.odt', sampleOdt(['Lab work', 'Pendulum and kestrel observations']));
    text = await upload('maya.manager', 'notes.txt', Buffer.from('Remember: the quokka enclosure needs a new gate.\n'));
    for (const document of [pdf, docx, odt, text]) expect((await indexed('maya.manager', document.id)).status).toBe('indexed');
  });

  it('finds PDF, DOCX, ODT and text documents by a word inside, with the word highlighted', async () => {
    for (const [word, document] of [
      ['axolotl', pdf],
      ['marimba', docx],
      ['kestrel', odt],
      ['quokka', text],
    ] as const) {
      const hits = await search('emil.employee', word);
      expect(ids(hits)).toEqual([document.id]);
      expect(hits[0].searchRank).toBeGreaterThan(0);
      expect(highlighted(hits[0].searchSnippet)).toEqual([word]);
      expect(hits[0].searchSnippet.html).toContain(`<mark>${word}</mark>`);
    }
    const phrase = await search('emil.employee', '"population doubled" -marimba');
    expect(ids(phrase)).toEqual([pdf.id]);
    expect(highlighted(phrase[0].searchSnippet)).toEqual(['population', 'doubled']);
  });

  it('ranks a match in the name above one in the text, and the text of no other list', async () => {
    const named = await upload('maya.manager', 'heron-census.txt', Buffer.from('Counts of birds by month.'));
    const mentioned = await upload('maya.manager', 'birds.txt', Buffer.from('A grey heron was seen near the lake.'));
    await indexed('maya.manager', named.id);
    await indexed('maya.manager', mentioned.id);
    const hits = await search('maya.manager', 'heron');
    expect(ids(hits)).toEqual([named.id, mentioned.id]);
    expect(hits[0].searchRank).toBeGreaterThan(hits[1].searchRank);
    // A part of a name or tag, as the search always found it, after the full-text matches.
    expect(ids(await search('maya.manager', 'census'))).toEqual([named.id]);
    expect(ids(await search('maya.manager', 'eron-cen'))).toEqual([named.id]);
    expect((await search('maya.manager', 'eron-cen'))[0].searchRank).toBe(0);
    // Without a search there is no rank or snippet.
    const plain = (await ok('maya.manager', `{ documents(entityType: "task", entityId: "${TASK}", limit: 1) { searchRank searchSnippet { text } } }`)).documents;
    expect(plain).toEqual([{ searchRank: null, searchSnippet: null }]);
  });

  it('pages through results best first, with cursors of their own', async () => {
    const PAGE = `query($after: String) { documentsConnection(search: "heron", first: 1, after: $after) { edges { node { id searchRank } } pageInfo { hasNextPage endCursor } } }`;
    const first = (await ok('maya.manager', PAGE)).documentsConnection;
    const second = (await ok('maya.manager', PAGE, { after: first.pageInfo.endCursor })).documentsConnection;
    const all = ids(await search('maya.manager', 'heron'));
    expect([first.edges[0].node.id, second.edges[0].node.id]).toEqual(all);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const plainCursor = (await ok('maya.manager', `{ documentsConnection(first: 1) { pageInfo { endCursor } } }`)).documentsConnection.pageInfo.endCursor;
    const mixed = await docs.call('maya.manager', PAGE, { after: plainCursor });
    expect(mixed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("never shows another company's documents, nor documents a user may not read", async () => {
    const globex = await upload('globex.admin', 'globex-axolotl.txt', Buffer.from('Globex also studies the axolotl.'), { entityType: 'task', entityId: GLOBEX_TASK });
    const course = await upload('tara.teacher', 'lecture.txt', Buffer.from('Today: the axolotl and regeneration.'), { entityType: 'course', entityId: PHYSICS });
    await indexed('globex.admin', globex.id);
    await indexed('tara.teacher', course.id);
    expect(ids(await search('maya.manager', 'axolotl'))).toEqual([pdf.id]);
    expect(ids(await search('globex.admin', 'axolotl'))).toEqual([globex.id]);
    expect(ids(await search('admin', 'axolotl')).sort()).toEqual([pdf.id, course.id].sort());
    // Sam is enrolled in Physics; Neil is not; neither may read ERP documents.
    expect(ids(await search('sam.student', 'axolotl'))).toEqual([course.id]);
    expect(await search('neil.student', 'axolotl')).toEqual([]);
    const page = (await ok('neil.student', `{ documentsConnection(search: "axolotl") { edges { node { id } } } }`)).documentsConnection;
    expect(page.edges).toEqual([]);
    // The indexer's state is for those who may change the document.
    expect((await ok('sam.student', `{ document(id: "${course.id}") { contentIndex { status } } }`)).document).toEqual({ contentIndex: null });
  });

  it('indexes a new version and forgets the old text; a rename is searchable at once', async () => {
    const document = await upload('maya.manager', 'draft.txt', Buffer.from('First draft about the pangolin.'));
    await indexed('maya.manager', document.id);
    await uploadVersion('maya.manager', document.id, Buffer.from('Second draft about the narwhal.'));
    await indexed('maya.manager', document.id, 2);
    expect(ids(await search('maya.manager', 'narwhal'))).toEqual([document.id]);
    expect(await search('maya.manager', 'pangolin')).toEqual([]);
    await ok('maya.manager', `mutation { updateDocument(id: "${document.id}", input: { filename: "okapi-plan.txt", tags: ["wombat"] }) { id } }`);
    expect(ids(await search('maya.manager', 'okapi'))).toEqual([document.id]);
    expect(ids(await search('maya.manager', 'wombat'))).toEqual([document.id]);
    expect(ids(await search('maya.manager', 'narwhal'))).toEqual([document.id]);
  });

  it('records a file it cannot read, and keeps its name searchable', async () => {
    const broken = await upload('maya.manager', 'scan-ibex.pdf', Buffer.from('%PDF-1.7\nthis is not really a PDF at all'));
    expect(broken.mimeType).toBe('application/pdf');
    const state = await indexed('maya.manager', broken.id);
    expect(state.status).toBe('failed');
    expect(state.error).toBeTruthy();
    expect(ids(await search('maya.manager', 'ibex'))).toEqual([broken.id]);
    const image = await upload(
      'maya.manager',
      'logo.png',
      Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
    );
    expect((await indexed('maya.manager', image.id)).status).toBe('unsupported');
  });

  it("searches in the company's language, which only its admins set", async () => {
    const invoice = await upload('maya.manager', 'letter.txt', Buffer.from('Please find the attached invoices for March.'));
    await indexed('maya.manager', invoice.id);
    expect(await search('maya.manager', 'invoice')).toEqual([]);
    const denied = await docs.call('maya.manager', `mutation { setCompanySearchLanguage(language: "english") { language } }`);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await docs.call('admin', `mutation { setCompanySearchLanguage(language: "klingon") { language } }`);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ok('admin', `{ companySearchSettings { language isDefault availableLanguages } }`)).companySearchSettings).toMatchObject({
      language: 'simple',
      isDefault: true,
      availableLanguages: expect.arrayContaining(['simple', 'english', 'german']),
    });
    const set = (await ok('admin', `mutation { setCompanySearchLanguage(language: "english") { language isDefault } }`)).setCompanySearchLanguage;
    expect(set).toEqual({ language: 'english', isDefault: false });
    const hits = await search('maya.manager', 'invoice');
    expect(ids(hits)).toEqual([invoice.id]);
    expect(highlighted(hits[0].searchSnippet)).toEqual(['invoices']);
    // Another company keeps its own language.
    expect((await ok('globex.admin', `{ companySearchSettings { language } }`)).companySearchSettings.language).toBe('simple');
  });
});
