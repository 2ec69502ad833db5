"""Who moderates comments, and which moderators see who wrote them.

Moderating (the admin's comment pages, the digest email): members of the "Moderators" group, and
superusers. Seeing a commenter's email address, network and browser: the
`comments.view_commenter_details` permission, which the "Comment moderators" group carries and an
administrator can give any group in Settings → Groups; superusers have it. Every page that shows
those details, or searches them, asks `can_see_commenter_details()`.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

GROUP_NAME = "Moderators"
DETAILS_GROUP_NAME = "Comment moderators"
DETAILS_PERMISSION = "comments.view_commenter_details"


def is_moderator(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=GROUP_NAME).exists()


def can_see_commenter_details(user):
    """Django's own check (groups, user permissions, superusers, inactive users refused)."""
    return bool(user and user.is_authenticated and user.has_perm(DETAILS_PERMISSION))


def moderators():
    """Everyone is_moderator() allows, as a queryset."""
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(groups__name=GROUP_NAME) | Q(is_superuser=True)).distinct()


def moderators_to_email():
    return list(moderators().exclude(email=""))
