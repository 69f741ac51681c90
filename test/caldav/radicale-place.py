"""
Puts a calendar object straight into a Radicale collection folder, as another
program writing to its storage (or a server that keeps what it is sent) would
leave it: argv = collection folder, file name, mode; the bytes on stdin.

Radicale reads a file it has not cached with vobject, then serves vobject's
rewrite of it (or fails the whole request when vobject cannot read it); a
cached item is served as its cache entry says, when the entry's hash is that
of the file's bytes (storage/multifilesystem/get.py and cache.py). So:
- mode "verbatim": the file plus a cache entry holding its text, decoded as
  a client decodes the bytes it is sent (UTF-8, a bad byte U+FFFD): served
  exactly as written, as Nextcloud serves the blob it stored;
- mode "raw": the file only (a stale cache entry of the name removed):
  Radicale reads it itself.
"""
import hashlib
import os
import pickle
import re
import sys

from radicale.storage import CACHE_VERSION

folder, name, mode = sys.argv[1], sys.argv[2], sys.argv[3]
raw = sys.stdin.buffer.read()
cache_folder = os.path.join(folder, ".Radicale.cache", "item")
os.makedirs(cache_folder, exist_ok=True)
cache_path = os.path.join(cache_folder, name)


def atomic_write(path, data):
    temporary = os.path.join(os.path.dirname(path), ".placing-" + os.path.basename(path))
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


if mode == "verbatim":
    text = raw.decode("utf-8", errors="replace")
    uid = re.search(r"^UID:(.*?)\r?$", text, re.M)
    tag = next((t for t in ("VEVENT", "VTODO", "VJOURNAL") if "BEGIN:" + t in text), "VEVENT")
    cache_hash = hashlib.sha256(CACHE_VERSION + raw).hexdigest()
    etag = '"%s"' % hashlib.sha256(raw).hexdigest()
    # CacheContent: uid, etag, text, name, tag, start, end (the time range only matters to filtered REPORTs).
    content = (cache_hash, uid.group(1) if uid else "", etag, text, "VCALENDAR", tag, 0, 2**62)
    atomic_write(cache_path, pickle.dumps(content))
elif mode == "raw":
    if os.path.exists(cache_path):
        os.remove(cache_path)
else:
    sys.exit("mode must be verbatim or raw")
atomic_write(os.path.join(folder, name), raw)
