import { describe, expect, it } from 'vitest';
import { moodleUserTimeZone } from '../services/moodle-time-zone.js';

describe("a user's time zone as Moodle decides it", () => {
  it("uses the user's own zone, and the site's for '99'", () => {
    expect(moodleUserTimeZone('Europe/London', { timezone: 'Asia/Kolkata' })).toBe('Europe/London');
    expect(moodleUserTimeZone('99', { timezone: 'Asia/Kolkata' })).toBe('Asia/Kolkata');
    expect(moodleUserTimeZone(undefined, { timezone: 'Asia/Kolkata' })).toBe('Asia/Kolkata');
  });

  it("leaves '99' to the server's default when the site has no zone either", () => {
    expect(moodleUserTimeZone('99', { timezone: '99' })).toBe('UTC');
    expect(moodleUserTimeZone('99', {}, 'Europe/Paris')).toBe('Europe/Paris');
  });

  it("lets the site's forced zone override every user's", () => {
    expect(moodleUserTimeZone('Europe/London', { timezone: 'Asia/Kolkata', forcetimezone: 'America/New_York' })).toBe('America/New_York');
    expect(moodleUserTimeZone('Europe/London', { timezone: 'Asia/Kolkata', forcetimezone: '99' })).toBe('Europe/London');
  });

  it('falls back to the site zone for a zone nobody knows, and reads whole-hour legacy offsets', () => {
    expect(moodleUserTimeZone('Mars/Olympus', { timezone: 'Asia/Kolkata' })).toBe('Asia/Kolkata');
    expect(moodleUserTimeZone('5', { timezone: 'Asia/Kolkata' })).toBe('Etc/GMT-5');
    expect(moodleUserTimeZone('-3.0', {})).toBe('Etc/GMT+3');
    expect(moodleUserTimeZone('0', {})).toBe('UTC');
  });
});
