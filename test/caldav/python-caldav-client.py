"""
A calendar user's client for the tests: python's caldav library (Debian's
python3-caldav) reading and changing objects in one CalDAV calendar, the way
a third-party client would. One command per run; the answer is JSON on stdout.

  python3 python-caldav-client.py URL USER PASSWORD CALENDAR_URL read
  python3 python-caldav-client.py URL USER PASSWORD CALENDAR_URL decline '{"summary": ..., "occurrence": ISO, "email": ...}'
  python3 python-caldav-client.py URL USER PASSWORD CALENDAR_URL invite '{"summary": ..., "remove": [email], "add": [{"email": ..., "name": ...}]}'
"""
import copy
import datetime
import json
import sys

import caldav
from icalendar import vCalAddress


def address(value):
    return str(value).lower().replace("mailto:", "")


def utc(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def vevents(event):
    return [c for c in event.icalendar_instance.walk("VEVENT")]


def describe(event):
    out = []
    for component in vevents(event):
        attendees = component.get("ATTENDEE") or []
        if not isinstance(attendees, list):
            attendees = [attendees]
        organizer = component.get("ORGANIZER")
        out.append({
            "uid": str(component.get("UID")),
            "summary": str(component.get("SUMMARY")),
            "recurrenceId": utc(component.get("RECURRENCE-ID").dt) if component.get("RECURRENCE-ID") else None,
            "organizer": address(organizer) if organizer is not None else None,
            "alarms": [str(alarm.get("TRIGGER").to_ical(), "ascii") for alarm in component.walk("VALARM")],
            "attendees": [
                {"email": address(a), "partstat": str(a.params.get("PARTSTAT", "NEEDS-ACTION")), "role": str(a.params.get("ROLE", "")), "cn": str(a.params.get("CN", ""))}
                for a in attendees
            ],
        })
    return out


def find(calendar, summary):
    for event in calendar.events():
        if any(str(c.get("SUMMARY")) == summary for c in vevents(event)):
            return event
    raise SystemExit(f"no event titled {summary!r}")


def touch(component):
    """What a client does on saving an edit: a newer LAST-MODIFIED and DTSTAMP."""
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=60)
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        if name in component:
            del component[name]
        component.add(name, now)


def decline(calendar, args):
    """The user declines one occurrence: an override (RECURRENCE-ID) of the series carrying their PARTSTAT."""
    event = find(calendar, args["summary"])
    cal = event.icalendar_instance
    master = next(c for c in cal.walk("VEVENT") if c.get("RECURRENCE-ID") is None)
    start = master.get("DTSTART").dt
    duration = master.get("DTEND").dt - start
    at = datetime.datetime.fromisoformat(args["occurrence"].replace("Z", "+00:00")).astimezone(start.tzinfo)
    override = copy.deepcopy(master)
    for name in ("RRULE", "EXDATE", "RDATE", "DTSTART", "DTEND", "ATTENDEE"):
        if name in override:
            del override[name]
    override.add("RECURRENCE-ID", at)
    override.add("DTSTART", at)
    override.add("DTEND", at + duration)
    attendees = master.get("ATTENDEE") or []
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        mine = vCalAddress(str(attendee))
        mine.params.update(attendee.params)
        if address(attendee) == args["email"].lower():
            mine.params["PARTSTAT"] = "DECLINED"
            mine.params.pop("RSVP", None)
        override.add("ATTENDEE", mine, encode=0)
    touch(override)
    cal.add_component(override)
    event.icalendar_instance = cal
    event.save()
    return describe(event)


def invite(calendar, args):
    """The organiser changes who is invited, in every VEVENT of the object."""
    event = find(calendar, args["summary"])
    cal = event.icalendar_instance
    for component in cal.walk("VEVENT"):
        attendees = component.get("ATTENDEE") or []
        attendees = attendees if isinstance(attendees, list) else [attendees]
        del component["ATTENDEE"]
        for attendee in attendees:
            if address(attendee) not in [r.lower() for r in args.get("remove", [])]:
                component.add("ATTENDEE", attendee, encode=0)
        for added in args.get("add", []):
            guest = vCalAddress("mailto:" + added["email"])
            guest.params["CN"] = added.get("name", "")
            guest.params["PARTSTAT"] = "NEEDS-ACTION"
            guest.params["ROLE"] = "REQ-PARTICIPANT"
            component.add("ATTENDEE", guest, encode=0)
        sequence = int(component.get("SEQUENCE", 0)) + 1
        if "SEQUENCE" in component:
            del component["SEQUENCE"]
        component.add("SEQUENCE", sequence)
        touch(component)
    event.icalendar_instance = cal
    event.save()
    return describe(event)


def main():
    url, username, password, calendar_url, command = sys.argv[1:6]
    args = json.loads(sys.argv[6]) if len(sys.argv) > 6 else {}
    client = caldav.DAVClient(url=url, username=username, password=password)
    calendar = client.calendar(url=calendar_url)
    if command == "read":
        result = [item for event in calendar.events() for item in describe(event)]
    elif command == "decline":
        result = decline(calendar, args)
    elif command == "invite":
        result = invite(calendar, args)
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
