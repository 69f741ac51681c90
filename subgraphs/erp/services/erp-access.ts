/**
 * Who may touch ERP data at all: company staff (admin, manager, employee).
 * Students and teachers without a staff role are refused everything, reads
 * included. Finer rules (own tasks, own leave) live in each service.
 */
import { hasRole, type Viewer } from '../../../platform/auth/viewer.js';
import { forbidden } from '../../../platform/errors.js';

export const isStaff = (viewer: Viewer) => hasRole(viewer, 'admin', 'manager', 'employee');
/** Admins and managers run projects, sales and leave approval. */
export const isManager = (viewer: Viewer) => hasRole(viewer, 'admin', 'manager');

export function requireStaff(viewer: Viewer): void {
  if (!isStaff(viewer)) throw forbidden('ERP records are for company staff (admin, manager or employee role)');
}

export function requireManager(viewer: Viewer, action: string): void {
  requireStaff(viewer);
  if (!isManager(viewer)) throw forbidden(`Only admins and managers may ${action}`);
}

/** Who made a change, as events record it: the caller's Moodle user id. */
export const actorOf = (viewer: Viewer) => viewer.moodleUserId ?? null;
