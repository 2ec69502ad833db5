"""Who moderates comments, and which moderators see who wrote them.

Moderating (the admin's comment pages, the digest email): the `comments.moderate_comment`
permission. Seeing a commenter's email address, network and browser: the
`comments.view_commenter_details` permission. The "Comment moderators" group carries both
(migrations 0004 and 0005), and an administrator can give either to any group in Settings →
Groups; superusers have them. Every check goes through Django's permissions (groups, user
permissions, superusers; inactive users refused), never a group's name, so a group made later
with the permission moderates too. Every page that shows commenters' details, or searches them,
asks `can_see_commenter_details()`.
"""

from django.contrib.auth import get_user_model

MODERATE_PERMISSION = "comments.moderate_comment"
DETAILS_PERMISSION = "comments.view_commenter_details"
# The backend that grants permissions (the first one, django-axes, only refuses sign-ins);
# Django's user query by permission needs it named when several are configured.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def is_moderator(user):
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def can_see_commenter_details(user):
    return bool(user and user.is_authenticated and user.has_perm(DETAILS_PERMISSION))


def moderators():
    """Everyone is_moderator() allows, as a queryset (Django's own permission query)."""
    users = get_user_model().objects
    return users.with_perm(MODERATE_PERMISSION, is_active=True, backend=PERMISSION_BACKEND)


def moderators_to_email():
    return list(moderators().exclude(email=""))
