import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { observeQueries } from '../../../platform/database/query-observer.js';
import { ENTITIES_QUERY } from '../../../test/support/subgraph-client.js';
import { DEMO_DOCUMENTS } from '../demo-documents.js';
import { sha256, startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
beforeAll(async () => {
  docs = await startDocumentsPlatform();
});
afterAll(() => docs?.stop());

const byName = (name: string) => DEMO_DOCUMENTS.find((document) => document.filename.startsWith(name))!;
const QUOTE = byName('Quote Q-2026-014');
const WIREFRAME = byName('home-page-wireframe');
const OLD_WIREFRAME = byName('old-wireframe');
const BUDGET = byName('equipment-budget');
const CONTRACT = byName('Emil Nair');
const SYLLABUS = byName('PHY101 syllabus');
const FORMULAS = byName('calculus-formula');
const GLOBEX_CSV = byName('customer-master-sample');

async function visibleFilenames(username: string, args = ''): Promise<string[]> {
  const { body } = await docs.call(username, `{ documents${args} { filename } }`);
  expect(body.errors).toBeUndefined();
  return body.data.documents.map((document: any) => document.filename).sort();
}
const names = (...documents: { filename: string }[]) => documents.map((document) => document.filename).sort();

describe('reading documents', () => {
  it('shows each role what it may read', async () => {
    const contractName = (await docs.call('admin', `{ document(id: "${CONTRACT.id}") { filename } }`)).body.data.document.filename;
    const erp = [QUOTE.filename, WIREFRAME.filename, BUDGET.filename];
    expect(await visibleFilenames('admin')).toEqual([...erp, contractName, SYLLABUS.filename, FORMULAS.filename].sort());
    expect(await visibleFilenames('maya.manager')).toEqual([...erp, contractName].sort());
    expect(await visibleFilenames('emil.employee')).toEqual([...erp, contractName].sort());
    expect(await visibleFilenames('tara.teacher')).toEqual([...erp, SYLLABUS.filename].sort());
    expect(await visibleFilenames('ravi.teacher')).toEqual([...erp, FORMULAS.filename].sort());
    expect(await visibleFilenames('sam.student')).toEqual(names(SYLLABUS, FORMULAS));
    expect(await visibleFilenames('neil.student')).toEqual(names(FORMULAS));
    expect(await visibleFilenames('globex.admin')).toEqual(names(GLOBEX_CSV, byName('Globex rollout'), byName('Globex sales playbook')));
  });

  it('answers null for a document the caller may not read', async () => {
    const contract = await docs.call('tara.teacher', `{ document(id: "${CONTRACT.id}") { id } }`);
    expect(contract.body.data.document).toBeNull();
    const erpForStudent = await docs.call('sam.student', `{ document(id: "${QUOTE.id}") { id } }`);
    expect(erpForStudent.body.data.document).toBeNull();
    const otherCourse = await docs.call('neil.student', `{ document(id: "${SYLLABUS.id}") { id } }`);
    expect(otherCourse.body.data.document).toBeNull();
    const ownCourse = await docs.call('sam.student', `{ document(id: "${SYLLABUS.id}") { filename mimeType } }`);
    expect(ownCourse.body.data.document).toEqual({ filename: SYLLABUS.filename, mimeType: 'application/pdf' });
  });

  it('filters by entity, category, tag and search, and hides archived documents unless asked', async () => {
    const task = DEMO_ERP.tasks[0].id;
    expect(await visibleFilenames('maya.manager', `(entityType: "task", entityId: "${task}")`)).toEqual(names(WIREFRAME));
    expect(await visibleFilenames('maya.manager', `(entityType: "task", entityId: "${task}", includeArchived: true)`)).toEqual(names(WIREFRAME, OLD_WIREFRAME));
    expect(await visibleFilenames('maya.manager', '(category: "quote")')).toEqual(names(QUOTE));
    expect(await visibleFilenames('maya.manager', '(tag: "website")')).toEqual(names(QUOTE, WIREFRAME));
    expect(await visibleFilenames('maya.manager', '(search: "BUDGET")')).toEqual(names(BUDGET));
    expect(await visibleFilenames('maya.manager', '(search: "financ")')).toEqual(names(BUDGET));
    expect(await visibleFilenames('maya.manager', '(search: "%")')).toEqual([]);
    const bad = await docs.call('maya.manager', '{ documents(entityType: "spaceship") { id } }');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps every version with its own checksum, newest first', async () => {
    const { body } = await docs.call('maya.manager', `{ document(id: "${QUOTE.id}") { version checksum size versions { id version checksum size downloadUrl } } }`);
    const document = body.data.document;
    expect(document.version).toBe(2);
    expect(document.versions.map((v: any) => v.version)).toEqual([2, 1]);
    const [v1, v2] = QUOTE.versions.map((v) => Buffer.from(v.content));
    expect(document.checksum).toBe(sha256(v2!));
    expect(document.versions[1]).toMatchObject({ id: QUOTE.versions[0]!.id, checksum: sha256(v1!), size: v1!.length });
    const old = await fetch(docs.onService(document.versions[1].downloadUrl));
    expect(Buffer.from(await old.arrayBuffer())).toEqual(v1);
    const version = await docs.call('maya.manager', `{ document(id: "${QUOTE.versions[0]!.id}") { version checksum } }`);
    expect(version.body.data.document).toEqual({ version: 1, checksum: sha256(v1!) });
  });
});

describe('downloads through signed URLs', () => {
  const downloadUrl = async (username: string, id: string) =>
    docs.onService((await docs.call(username, `{ document(id: "${id}") { downloadUrl } }`)).body.data.document.downloadUrl);

  it('returns the exact bytes, with type, disposition and ETag', async () => {
    const response = await fetch(await downloadUrl('maya.manager', CONTRACT.id));
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(bytes.toString('utf8')).toBe(CONTRACT.versions[0]!.content);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Emil Nair  employment contract.txt"; filename*=UTF-8''Emil%20Nair%20%E2%80%93%20employment%20contract.txt`,
    );
    const head = await fetch(await downloadUrl('maya.manager', CONTRACT.id), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(await head.text()).toBe('');
    const pdf = await fetch(await downloadUrl('sam.student', SYLLABUS.id));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).toString('utf8')).toBe(SYLLABUS.versions[0]!.content);
  });

  it('answers byte ranges with 206, impossible ones with 416, and ignores invalid ones', async () => {
    const url = await downloadUrl('maya.manager', BUDGET.id);
    const content = Buffer.from(BUDGET.versions[0]!.content);
    const partial = await fetch(url, { headers: { range: 'bytes=5-12' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 5-12/${content.length}`);
    expect(Buffer.from(await partial.arrayBuffer())).toEqual(content.subarray(5, 13));
    const suffix = await fetch(url, { headers: { range: 'bytes=-6' } });
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(content.subarray(content.length - 6));
    const beyond = await fetch(url, { headers: { range: `bytes=${content.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${content.length}`);
    // A last position before the first is no valid range at all: the header is ignored (RFC 9110 §14.2).
    const inverted = await fetch(url, { headers: { range: 'bytes=3-1' } });
    expect([inverted.status, inverted.headers.get('content-range'), Buffer.from(await inverted.arrayBuffer())]).toEqual([200, null, content]);
    const cached = await fetch(url, { headers: { 'if-none-match': `"${sha256(content)}"` } });
    expect(cached.status).toBe(304);
  });

  it('refuses tampered and expired URLs', async () => {
    const url = new URL(await downloadUrl('maya.manager', QUOTE.id));
    url.searchParams.set('v', '1');
    expect((await fetch(url)).status).toBe(403);
    const other = new URL(await downloadUrl('maya.manager', QUOTE.id));
    other.pathname = `/files/download/${BUDGET.id}`;
    expect((await fetch(other)).status).toBe(403);
    const expired = new URL(await downloadUrl('maya.manager', QUOTE.id));
    expired.searchParams.set('expires', String(Math.floor(Date.now() / 1000) - 10));
    expect((await fetch(expired)).status).toBe(403);
  });
});

describe('federation contract', () => {
  it('resolves Document references in one statement, versions included, and hides unreadable ones', async () => {
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const ids = [QUOTE.id, BUDGET.id, CONTRACT.id, QUOTE.versions[0]!.id, WIREFRAME.id, 'not-a-uuid'];
    const { body } = await docs.call('emil.employee', ENTITIES_QUERY('Document', 'id filename version'), {
      representations: ids.map((id) => ({ __typename: 'Document', id })),
    });
    stop();
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((entity: any) => entity?.id ?? null)).toEqual([...ids.slice(0, 5), null]);
    expect(body.data._entities[3].version).toBe(1);
    expect(statements.filter((sql) => sql.includes('"documents"."documents"'))).toHaveLength(1);
  });

  it('batches Task, Project and Course documents into one statement per type', async () => {
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const tasks = await docs.call('maya.manager', ENTITIES_QUERY('Task', 'id documents { filename }'), {
      representations: DEMO_ERP.tasks.map((task) => ({ __typename: 'Task', id: task.id })),
    });
    const courses = await docs.call('sam.student', ENTITIES_QUERY('Course', 'id documents { filename }'), {
      representations: [
        { __typename: 'Course', id: '101', viewerRole: 'STUDENT' },
        { __typename: 'Course', id: '102', viewerRole: 'STUDENT' },
        { __typename: 'Course', id: '103', viewerRole: null },
      ],
    });
    stop();
    expect(tasks.body.data._entities.map((task: any) => task.documents.map((d: any) => d.filename))).toEqual([[WIREFRAME.filename], [], [], []]);
    expect(courses.body.data._entities.map((course: any) => course.documents.map((d: any) => d.filename))).toEqual([[SYLLABUS.filename], [FORMULAS.filename], []]);
    expect(statements.filter((sql) => sql.includes('"documents"."documents"'))).toHaveLength(2);
    const projects = await docs.call('sam.student', ENTITIES_QUERY('Project', 'documents { id }'), {
      representations: [{ __typename: 'Project', id: DEMO_ERP.projects[0].id }],
    });
    expect(projects.body.data._entities).toEqual([{ documents: [] }]);
  });

  it("answers a course's documents the same from the lean read (the course page's fields) as from whole rows", async () => {
    const representations = ['101', '102', '103'].map((id) => ({ __typename: 'Course', id, viewerRole: 'STUDENT' }));
    const lean = 'id filename mimeType size createdAt uploadedBy { id }';
    const read = async (fields: string) => {
      const { body } = await docs.call('sam.student', ENTITIES_QUERY('Course', `documents { ${fields} }`), { representations });
      expect(body.errors).toBeUndefined();
      return body.data._entities as { documents: Record<string, unknown>[] }[];
    };
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const leanAnswer = await read(lean);
    stop();
    // `checksum` is no lean field: whole rows.
    const whole = (await read(`${lean} checksum`)).map(({ documents }) => ({ documents: documents.map(({ checksum: _, ...rest }) => rest) }));
    expect(leanAnswer).toEqual(whole);
    expect(leanAnswer.flatMap(({ documents }) => documents).length).toBeGreaterThan(1);
    expect(statements.filter((sql) => sql.includes('"documents"."documents"') && !sql.includes('"checksum"'))).toHaveLength(1);
  });

  it('refuses a representation whose id is no string with BAD_USER_INPUT, not an internal error', async () => {
    // A list, an object, null or a NUL as the id reached the batched SQL and failed every representation of the batch.
    for (const id of [['101'], { a: 1 }, null, true, '101\u0000']) {
      const { body } = await docs.call('sam.student', ENTITIES_QUERY('Course', 'id documents { filename }'), {
        representations: [
          { __typename: 'Course', id: '101', viewerRole: 'STUDENT' },
          { __typename: 'Course', id, viewerRole: 'STUDENT' },
        ],
      });
      expect(
        body.errors?.map((error) => error.extensions?.code),
        JSON.stringify(id),
      ).toEqual(['BAD_USER_INPUT']);
    }
    const missingType = await docs.call('sam.student', ENTITIES_QUERY('Course', 'id'), { representations: [{ id: '101' }] });
    expect(missingType.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('tenant isolation', () => {
  it('never shows another company\u2019s document, on any path', async () => {
    const root = await docs.call('globex.admin', `{ document(id: "${QUOTE.id}") { id } }`);
    expect(root.body.data.document).toBeNull();
    const entities = await docs.call('globex.admin', ENTITIES_QUERY('Document', 'id'), {
      representations: [QUOTE.id, QUOTE.versions[0]!.id].map((id) => ({ __typename: 'Document', id })),
    });
    expect(entities.body.data._entities).toEqual([null, null]);
    const nested = await docs.call('globex.admin', ENTITIES_QUERY('Task', 'documents { id }'), {
      representations: [{ __typename: 'Task', id: DEMO_ERP.tasks[0].id }],
    });
    expect(nested.body.data._entities).toEqual([{ documents: [] }]);
    const course = await docs.call('globex.admin', ENTITIES_QUERY('Course', 'documents { id }'), {
      representations: [{ __typename: 'Course', id: '101', viewerRole: null }],
    });
    expect(course.body.data._entities).toEqual([{ documents: [] }]);
    const filtered = await docs.call('globex.admin', `{ documents(entityType: "project", entityId: "${DEMO_ERP.projects[0].id}") { id } }`);
    expect(filtered.body.data.documents).toEqual([]);
  });

  it('refuses requests the gateway did not sign', async () => {
    const unsigned = await docs.call(null, '{ documents { id } }');
    expect(unsigned.status).toBe(401);
  });
});
