/**
 * Stable ids of the demo data. Each subgraph seeds its own tables, and
 * cross-domain references (a live class's course, a document's task) must
 * agree, so the ids live here, once.
 */
export const DEMO_COMPANIES = {
  bheem: { id: '0b0e0000-0000-4000-8000-000000000001', name: 'Bheem Learning & Co', moodleCategory: '10', timezone: 'Asia/Kolkata' },
  globex: { id: '0b0e0000-0000-4000-8000-000000000002', name: 'Globex Corporation', moodleCategory: '20', timezone: 'America/New_York' },
} as const;

export interface DemoUser {
  id: string; // mdl_user.id
  username: string;
  firstname: string;
  lastname: string;
  company: keyof typeof DEMO_COMPANIES;
  roles: string[];
}

export const DEMO_USERS: DemoUser[] = [
  { id: '2', username: 'admin', firstname: 'Asha', lastname: 'Rao', company: 'bheem', roles: ['admin'] },
  { id: '3', username: 'tara.teacher', firstname: 'Tara', lastname: 'Iyer', company: 'bheem', roles: ['teacher', 'employee'] },
  { id: '4', username: 'ravi.teacher', firstname: 'Ravi', lastname: 'Menon', company: 'bheem', roles: ['teacher', 'employee'] },
  { id: '5', username: 'sam.student', firstname: 'Sam', lastname: 'Dutta', company: 'bheem', roles: ['student'] },
  { id: '6', username: 'sita.student', firstname: 'Sita', lastname: 'Kapoor', company: 'bheem', roles: ['student'] },
  { id: '7', username: 'neil.student', firstname: 'Neil', lastname: 'Bose', company: 'bheem', roles: ['student'] },
  { id: '8', username: 'maya.manager', firstname: 'Maya', lastname: 'Pillai', company: 'bheem', roles: ['manager', 'employee'] },
  { id: '9', username: 'emil.employee', firstname: 'Emil', lastname: 'Nair', company: 'bheem', roles: ['employee'] },
  { id: '20', username: 'globex.admin', firstname: 'Greta', lastname: 'Lind', company: 'globex', roles: ['admin'] },
  { id: '21', username: 'gina.teacher', firstname: 'Gina', lastname: 'Holm', company: 'globex', roles: ['teacher', 'employee'] },
  { id: '22', username: 'gary.student', firstname: 'Gary', lastname: 'Berg', company: 'globex', roles: ['student'] },
];

export interface DemoCourse {
  id: string; // mdl_course.id
  company: keyof typeof DEMO_COMPANIES;
  shortname: string;
  fullname: string;
  summary: string;
  visible: boolean;
  teachers: string[];
  students: string[];
}

export const DEMO_COURSES: DemoCourse[] = [
  {
    id: '101',
    company: 'bheem',
    shortname: 'PHY101',
    fullname: 'Physics 101: Mechanics',
    summary: 'Motion, forces and energy.',
    visible: true,
    teachers: ['3'],
    students: ['5', '6'],
  },
  { id: '102', company: 'bheem', shortname: 'MAT201', fullname: 'Calculus II', summary: 'Integration and series.', visible: true, teachers: ['4'], students: ['5', '7'] },
  { id: '103', company: 'bheem', shortname: 'CHE110-DRAFT', fullname: 'Chemistry (draft)', summary: 'Not yet published.', visible: false, teachers: ['3'], students: [] },
  { id: '201', company: 'globex', shortname: 'GLX-SALES', fullname: 'Globex Sales Onboarding', summary: 'How Globex sells.', visible: true, teachers: ['21'], students: ['22'] },
];

/** ERP records (UUIDs, as Bheem Core uses). */
export const DEMO_ERP = {
  projects: [
    { id: '0b0e0001-0000-4000-8000-000000000001', company: 'bheem', name: 'Campus website relaunch' },
    // Linked to PHY101: its tasks show on the course (Course.tasks).
    { id: '0b0e0001-0000-4000-8000-000000000002', company: 'bheem', name: 'Physics lab equipment', course: '101' },
    { id: '0b0e0001-0000-4000-8000-000000000003', company: 'globex', name: 'Globex ERP rollout' },
  ],
  tasks: [
    { id: '0b0e0002-0000-4000-8000-000000000001', project: 0, title: 'Draft the new home page', status: 'IN_PROGRESS', dueInDays: 5, assignee: '9' },
    { id: '0b0e0002-0000-4000-8000-000000000002', project: 0, title: 'Migrate course catalogue pages', status: 'TODO', dueInDays: 12, assignee: '8' },
    { id: '0b0e0002-0000-4000-8000-000000000003', project: 1, title: 'Order oscilloscopes', status: 'TODO', dueInDays: 3, assignee: '3' },
    { id: '0b0e0002-0000-4000-8000-000000000004', project: 2, title: 'Import customer master data', status: 'IN_PROGRESS', dueInDays: 7, assignee: '21' },
  ],
  milestones: [
    { id: '0b0e0003-0000-4000-8000-000000000001', project: 0, name: 'Website beta', dueInDays: 20 },
    { id: '0b0e0003-0000-4000-8000-000000000002', project: 2, name: 'Go-live', dueInDays: 30 },
  ],
  salesMeetings: [
    { id: '0b0e0004-0000-4000-8000-000000000001', company: 'bheem', customerName: 'Sunrise School', inDays: 2, hours: 1, owner: '8' },
    { id: '0b0e0004-0000-4000-8000-000000000002', company: 'globex', customerName: 'Initech', inDays: 4, hours: 1, owner: '20' },
  ],
  leaveRequests: [{ id: '0b0e0005-0000-4000-8000-000000000001', company: 'bheem', employee: '9', startInDays: 10, days: 3, status: 'APPROVED' }],
  quotes: [
    { id: '0b0e0006-0000-4000-8000-000000000001', company: 'bheem', number: 'Q-2026-014', customerName: 'Sunrise School' },
    { id: '0b0e0006-0000-4000-8000-000000000002', company: 'globex', number: 'GQ-77', customerName: 'Initech' },
  ],
  invoices: [
    { id: '0b0e0007-0000-4000-8000-000000000001', company: 'bheem', number: 'INV-2026-031', customerName: 'Sunrise School', quote: 0 },
    { id: '0b0e0007-0000-4000-8000-000000000002', company: 'globex', number: 'GINV-12', customerName: 'Initech', quote: 1 },
  ],
  /** HR records of staff (Moodle user ids): every demo user with a staff role. */
  employees: [
    { id: '2', jobTitle: 'Director' },
    { id: '3', jobTitle: 'Physics teacher' },
    { id: '4', jobTitle: 'Mathematics teacher' },
    { id: '8', jobTitle: 'Operations manager' },
    { id: '9', jobTitle: 'Web developer' },
    { id: '20', jobTitle: 'Managing director' },
    { id: '21', jobTitle: 'Sales trainer' },
  ],
} as const;

/** Meet: live classes (UUIDs) on the demo courses. */
export const DEMO_LIVE_CLASSES = [
  { id: '0b0e0010-0000-4000-8000-000000000001', course: '101', title: 'Newton\u2019s laws, live', inHours: 26, minutes: 60, host: '3' },
  { id: '0b0e0010-0000-4000-8000-000000000002', course: '101', title: 'Energy and work Q&A', inHours: 74, minutes: 45, host: '3' },
  { id: '0b0e0010-0000-4000-8000-000000000003', course: '102', title: 'Integration by parts', inHours: 50, minutes: 60, host: '4' },
  { id: '0b0e0010-0000-4000-8000-000000000004', course: '201', title: 'Globex pitch practice', inHours: 30, minutes: 60, host: '21' },
] as const;

export function demoCompanyId(company: keyof typeof DEMO_COMPANIES): string {
  return DEMO_COMPANIES[company].id;
}

/** Meet: a class that already took place, with a READY recording and attendance, so demo queries show them. */
export const DEMO_ENDED_LIVE_CLASS = {
  id: '0b0e0010-0000-4000-8000-000000000101',
  course: '101',
  title: 'Kinematics warm-up (recorded)',
  hoursAgo: 50,
  minutes: 60,
  host: '3',
  recordingId: '0b0e0011-0000-4000-8000-000000000001',
  /** Moodle user ids and the minutes they stayed, one entry per interval (Sam left and came back). */
  attendance: [
    { user: '3', fromMinute: 0, toMinute: 60 },
    { user: '5', fromMinute: 2, toMinute: 30 },
    { user: '5', fromMinute: 35, toMinute: 58 },
    { user: '6', fromMinute: 5, toMinute: 60 },
  ],
} as const;
