"""Who moderates comments: members of the "Moderators" group, and superusers."""

from django.contrib.auth import get_user_model
from django.db.models import Q

GROUP_NAME = "Moderators"


def is_moderator(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=GROUP_NAME).exists()


def moderators_to_email():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return list(users.filter(Q(groups__name=GROUP_NAME) | Q(is_superuser=True)).distinct())
