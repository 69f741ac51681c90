/**
 * The demo documents: small real files attached to demo ERP tasks and
 * projects, an employee and demo courses, in both companies. Stable ids so
 * that tests and examples can name them.
 */
import { DEMO_COMPANIES, DEMO_ERP } from '../../platform/demo/demo-ids.js';
import type { EntityType } from './models.js';

export interface DemoDocument {
  id: string;
  company: keyof typeof DEMO_COMPANIES;
  entityType: EntityType;
  entityId: string;
  filename: string;
  category: string;
  tags: string[];
  uploadedBy: string;
  archived?: boolean;
  /** Oldest first; the last one is the current version. */
  versions: { id: string; content: string }[];
}

const documentId = (n: number) => `0b0e0020-0000-4000-8000-${String(n).padStart(12, '0')}`;
const versionId = (n: number, v: number) => `0b0e0021-0000-4000-8000-${String(n * 10 + v).padStart(12, '0')}`;

/** A tiny but well-formed PDF (one empty page), so that sniffing finds application/pdf. */
function tinyPdf(title: string): string {
  return [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj',
    `4 0 obj << /Title (${title}) >> endobj`,
    'trailer << /Root 1 0 R /Info 4 0 R >>',
    '%%EOF',
    '',
  ].join('\n');
}

const task = (index: number) => DEMO_ERP.tasks[index]!.id;
const project = (index: number) => DEMO_ERP.projects[index]!.id;

export const DEMO_DOCUMENTS: DemoDocument[] = [
  {
    id: documentId(1),
    company: 'bheem',
    entityType: 'project',
    entityId: project(0),
    filename: 'Quote Q-2026-014 Sunrise School.txt',
    category: 'quote',
    tags: ['sales', 'website'],
    uploadedBy: '8',
    versions: [
      { id: versionId(1, 1), content: 'Quote Q-2026-014\nCustomer: Sunrise School\nWebsite relaunch: 12 pages\nTotal: 4,800.00 EUR\n' },
      { id: versionId(1, 2), content: 'Quote Q-2026-014 (revised)\nCustomer: Sunrise School\nWebsite relaunch: 14 pages\nTotal: 5,400.00 EUR\n' },
    ],
  },
  {
    id: documentId(2),
    company: 'bheem',
    entityType: 'task',
    entityId: task(0),
    filename: 'home-page-wireframe-notes.txt',
    category: 'report',
    tags: ['website', 'draft'],
    uploadedBy: '9',
    versions: [{ id: versionId(2, 1), content: 'Home page\n- hero with course search\n- upcoming live classes\n- testimonials\n' }],
  },
  {
    id: documentId(3),
    company: 'bheem',
    entityType: 'task',
    entityId: task(0),
    filename: 'old-wireframe.txt',
    category: 'report',
    tags: ['website'],
    uploadedBy: '9',
    archived: true,
    versions: [{ id: versionId(3, 1), content: 'Superseded by home-page-wireframe-notes.txt\n' }],
  },
  {
    id: documentId(4),
    company: 'bheem',
    entityType: 'project',
    entityId: project(1),
    filename: 'equipment-budget.csv',
    category: 'budget',
    tags: ['lab', 'finance'],
    uploadedBy: '8',
    versions: [{ id: versionId(4, 1), content: 'item,quantity,unit_price_eur\noscilloscope,4,1250.00\nsignal generator,2,640.00\nmultimeter,10,45.50\n' }],
  },
  {
    id: documentId(5),
    company: 'bheem',
    entityType: 'employee',
    entityId: '9',
    filename: 'Emil Nair – employment contract.txt',
    category: 'contract',
    tags: ['hr'],
    uploadedBy: '2',
    versions: [{ id: versionId(5, 1), content: 'Employment contract\nEmployee: Emil Nair\nStart: 2025-09-01\nRole: Web developer\n' }],
  },
  {
    id: documentId(6),
    company: 'bheem',
    entityType: 'course',
    entityId: '101',
    filename: 'PHY101 syllabus.pdf',
    category: 'syllabus',
    tags: ['physics'],
    uploadedBy: '3',
    versions: [{ id: versionId(6, 1), content: tinyPdf('PHY101 Mechanics syllabus') }],
  },
  {
    id: documentId(7),
    company: 'bheem',
    entityType: 'course',
    entityId: '102',
    filename: 'calculus-formula-sheet.txt',
    category: 'handout',
    tags: ['maths'],
    uploadedBy: '4',
    versions: [{ id: versionId(7, 1), content: '∫ u dv = uv − ∫ v du\n∑ 1/n² = π²/6\n' }],
  },
  {
    id: documentId(8),
    company: 'globex',
    entityType: 'task',
    entityId: task(3),
    filename: 'customer-master-sample.csv',
    category: 'data',
    tags: ['migration'],
    uploadedBy: '21',
    versions: [{ id: versionId(8, 1), content: 'customer_id,name,country\nC-001,Initech,US\nC-002,Umbrella,UK\n' }],
  },
  {
    id: documentId(9),
    company: 'globex',
    entityType: 'project',
    entityId: project(2),
    filename: 'Globex rollout quote.txt',
    category: 'quote',
    tags: ['sales'],
    uploadedBy: '20',
    versions: [{ id: versionId(9, 1), content: 'Quote G-77\nERP rollout, phase 1\nTotal: 18,000.00 USD\n' }],
  },
  {
    id: documentId(10),
    company: 'globex',
    entityType: 'course',
    entityId: '201',
    filename: 'Globex sales playbook.pdf',
    category: 'handout',
    tags: ['sales'],
    uploadedBy: '21',
    versions: [{ id: versionId(10, 1), content: tinyPdf('Globex sales playbook') }],
  },
];
