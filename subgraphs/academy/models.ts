/** What academy's resolvers work with (the codegen mappers point here). */
export interface CourseModel {
  id: string;
  categoryId: string;
  shortname: string;
  fullname: string;
  summary: string | null;
  startDate: Date | null;
  endDate: Date | null;
  visible: boolean;
}

export interface UserModel {
  id: string;
  username: string;
  firstname: string;
  lastname: string;
  email: string;
}

export type CourseRoleName = 'TEACHER' | 'STUDENT';
