/**
 * A user's time zone as Moodle decides it (core_date::get_user_timezone):
 * the site's `forcetimezone` when set, else the user's `timezone`, where '99'
 * means the site's `timezone`, which in turn '99' or empty leaves to the
 * server's default (PHP's, UTC unless configured). A zone PHP would not know
 * falls back to the site's zone, then to that default. Legacy numeric values
 * (whole-hour UTC offsets) map to fixed-offset zones.
 */
export interface SiteTimeZones {
  /** `mdl_config.timezone`. */
  timezone?: string;
  /** `mdl_config.forcetimezone`. */
  forcetimezone?: string;
}

export const SERVER_DEFAULT_TIME_ZONE = 'UTC';

export function moodleUserTimeZone(userZone: string | null | undefined, site: SiteTimeZones, serverDefault = SERVER_DEFAULT_TIME_ZONE): string {
  const serverZone = () => (isUnset(site.timezone) ? serverDefault : (known(site.timezone!) ?? serverDefault));
  if (!isUnset(site.forcetimezone)) return known(site.forcetimezone!) ?? serverZone();
  if (isUnset(userZone)) return serverZone();
  return known(userZone!) ?? serverZone();
}

/** '99' (Moodle's "server time zone") and empty mean "not chosen here". */
function isUnset(zone: string | null | undefined): boolean {
  return zone === undefined || zone === null || zone.trim() === '' || Number(zone) === 99;
}

/** The IANA name for a zone Intl knows, a whole-hour legacy offset as Etc/GMT∓n, or undefined. */
function known(zone: string): string | undefined {
  const value = zone.trim();
  if (/^[+-]?\d+(\.0+)?$/.test(value)) {
    const hours = Number(value);
    if (hours === 0) return 'UTC';
    // POSIX sign convention: Etc/GMT-5 is five hours ahead of UTC.
    return Math.abs(hours) <= 14 ? `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}` : undefined;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value; // as the user chose it (Intl would name Asia/Kolkata "Asia/Calcutta")
  } catch {
    return undefined;
  }
}
