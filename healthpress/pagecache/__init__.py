"""The whole-page cache for anonymous readers: store, WSGI front, per-process copies, purge clock
and the purge API (`healthpress.pagecache.purge`). It knows nothing of articles, people or
comments: each app declares what its changes make stale (see rules.py)."""
