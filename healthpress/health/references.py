"""Reference checks. TODO(issue 17): queued on publish."""


def connect():
    pass
