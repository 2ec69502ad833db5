"""Who may triage readers' questions: the one rule every admin page, the menus and the report ask.
And who may be asked to answer one (`experts()`).

Members of the "Question editors" group, and superusers, both active and signed in. The group's
Django permissions (migration 0002) are not consulted: membership is the rule, so an
administrator grants triage by adding a person to the group (who then needs two-step sign-in
in production: the group holds questions.change_question, which wagtail_hooks.py declares
sensitive). Wagtail's views ask the same rule through
question_editors_policy().
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from healthpress.core.admin_listing import RulePolicy
from healthpress.people.models import Person

from .models import EDITORS_GROUP, Question

# What a question editor does in Wagtail's terms: see the queue and change questions (through
# the triage decisions). Nobody adds or deletes a question in the admin.
ACTIONS = {"view", "change"}


def is_question_editor(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS_GROUP).exists()


def question_editors():
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | Q(groups__name=EDITORS_GROUP)).distinct()


def question_editors_policy():
    """Wagtail's permission policy for Question, answering with is_question_editor()."""
    return RulePolicy(Question, actions=ACTIONS, allows=is_question_editor, users=question_editors)


def experts():
    """People who can be asked to write an answer: linked to an active admin account that has
    an email address to be told at."""
    return (
        Person.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("name")
    )


def can_be_expert(person):
    return person is not None and experts().filter(pk=person.pk).exists()
