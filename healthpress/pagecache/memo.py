"""Site-wide values kept in each process until the page cache is next purged.

Every uncached render reads the site's review settings and the topics in the header
(ReviewSettings.for_site, core/navigation.py, the topic_nav tag). They cost queries on every
render, yet they change only through edits that purge the whole page cache: a Site or its review
settings edited, a topic, the home page or the editorial policy page published,
unpublished, moved or deleted, a view restriction added or removed (pagecache/rules.py and
articles/purge_rules.py). So each process files the value under the purge clock's token
(pagecache/clock.py) and builds it again once the clock has moved. With Redis a purge returns
only after every process has taken the new token, so no process uses an old value after it.

The value is kept pickled and every caller gets a copy of its own: nothing one request sets on
a model instance can reach another request.

A purge is asked for inside the transaction that makes the change and carried out after it
commits; the process that asks drops its kept values at once (purge.py), so code that changes
the review settings, say, and reads them back in the same transaction reads its own change.
"""

import pickle

from .clock import purge_clock

MAX_KEYS = 256  # keys include the Host header's name and port: never let them grow unbounded
_kept = {}


def purge_bound(key, build):
    """`build()`, or a copy of what it returned since the last purge of the page cache."""
    token = purge_clock().read()  # first: what a purge interrupts is filed under the old token
    if token is None:  # the Redis clock is not listening yet
        return build()
    kept = _kept.get(key)
    if kept is not None and kept[0] == token:
        return pickle.loads(kept[1])
    value = build()
    if len(_kept) >= MAX_KEYS:
        _kept.clear()
    _kept[key] = (token, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return value


def forget():
    """Drop every kept value (tests: a rolled-back transaction moves no clock)."""
    _kept.clear()
