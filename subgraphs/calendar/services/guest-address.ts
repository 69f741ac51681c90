/** What the calendar takes as a guest's e-mail address, from GraphQL and from CalDAV ATTENDEEs alike. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const isGuestAddress = (email: string) => EMAIL.test(email) && email.length <= 320;
