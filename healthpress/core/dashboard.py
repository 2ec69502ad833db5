"""The shape every HealthPress dashboard panel shares (Wagtail's `construct_homepage_panels`).

Each app that has something waiting for someone adds its own panel from its dashboard.py, and
only for the users who can act on it (the app's own "who may" rule decides). A panel shows a count
and the few most urgent items, each a link to where it is handled, and a link to the full list.

Cheap by construction: a panel's figures come from a fixed handful of queries (a count or an
aggregate, and one sliced query of at most LIMIT rows with what the rows show joined in), so
the dashboard costs the same whether there are 3 comments waiting or 30,000;
tests/core/test_dashboard.py holds each panel to that.
"""

from dataclasses import dataclass, field

from wagtail.admin.ui.components import Component

# How many items a panel lists: enough to start work from the dashboard, few enough to read.
LIMIT = 5


@dataclass
class Item:
    """One row of a panel: a link to where it is handled, and what to know before opening it."""

    label: str
    url: str
    notes: list = field(default_factory=list)
    # A word shown as a status tag beside the link ("Red flags", "Overdue"); empty for none.
    tag: str = ""


class DashboardPanel(Component):
    """Subclasses set name, order, heading, icon and template_name (which extends
    core/admin/dashboard_panel.html) and return their figures from `figures(request)`:
    count (None for none), summary (a sentence), items (Item list) and links ((url, label) pairs:
    the full lists)."""

    template_name = "core/admin/dashboard_panel.html"
    name = ""
    order = 0
    heading = ""
    icon = "placeholder"
    empty_text = "Nothing is waiting."

    def figures(self, request):
        raise NotImplementedError

    def get_context_data(self, parent_context=None):
        context = {
            "panel_id": self.name.replace("_", "-"),
            "icon": self.icon,
            "empty_text": self.empty_text,
            "items": [],
            "links": [],
        }
        context.update(self.figures(parent_context["request"]))
        count = context.get("count")
        context["heading"] = self.heading if count is None else f"{self.heading} ({count})"
        return context


def plural(count, singular, plural_form=None):
    """'1 comment', '3 comments': counts are read aloud, so they are said in words."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
