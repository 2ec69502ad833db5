"""Reading level (textstat). TODO(issue 17): computed on save."""


def connect():
    pass
