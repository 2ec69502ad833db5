"""What the admin's read-and-decide listings share (comments, readers' questions, newsletter
editions): a Wagtail ModelViewSet that keeps only its listing, a menu item that says how many
items wait, and a permission policy that answers with a "who may" rule of the app's own.

These records are made by readers or by the sender, never in the admin, and change only
through their own decisions (`Comment.approve()`, the question's triage page): Wagtail's add,
edit, delete, copy, history and usage views would be ways round those rules, so none is served.
"""

import copy

from django.contrib.auth import get_user_model
from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy


class ListingOnlyViewSet(ModelViewSet):
    """Wagtail's listing (filters, search, sorting, pagination) and nothing else; subclasses add
    their own pages with `extra_urlpatterns()`."""

    copy_view_enabled = False
    # Kept out of Wagtail's reference index, so an article's "usage" never lists them.
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage"):
            kwargs[f"{name}_url_name"] = None
        return kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            *self.extra_urlpatterns(),
        ]

    def extra_urlpatterns(self):
        return []


class WaitingCountMenuItem(MenuItem):
    """A menu item shown by a "who may" rule, its label saying how many items wait.

    Subclasses say who sees it (`may_see`), what waits (`waiting`) and how the label says so
    (`waiting_label`). The sidebar has no badge slot, so the count is part of the label. Menu
    items are shared between requests: the label is built per request, never stored."""

    waiting_label = "{label} ({count})"

    def may_see(self, user):
        raise NotImplementedError

    def waiting(self):
        raise NotImplementedError

    def is_shown(self, request):
        return self.may_see(request.user)

    def render_component(self, request):
        count = self.waiting()
        if not count:
            return super().render_component(request)
        # Drawn by MenuItem's own render_component() from a copy labelled for this request: the
        # sidebar's component classes (wagtail.admin.ui.sidebar) are not a documented API.
        labelled = copy.copy(self)
        labelled.label = self.waiting_label.format(label=self.label, count=count)
        return MenuItem.render_component(labelled, request)


class RulePolicy(BasePermissionPolicy):
    """Wagtail's permission policy for a model whose admin access is one rule of its app
    ("moderators", "question editors") rather than Django permissions: the listed actions for
    whoever `allows(user)`, nothing for anyone else."""

    def __init__(self, model, *, actions, allows, users):
        super().__init__(model)
        self.actions = set(actions)
        self.allows = allows  # user -> bool
        self.users = users  # () -> queryset of the users it allows

    def user_has_permission(self, user, action):
        return action in self.actions and self.allows(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions & set(actions)) and self.allows(user)

    def users_with_any_permission(self, actions):
        if not self.actions & set(actions):
            return get_user_model().objects.none()
        return self.users()
