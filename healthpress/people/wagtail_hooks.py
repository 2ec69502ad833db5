from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Person


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "credentials", "job_title", "role"]
    search_fields = ["name", "job_title", "role"]


register_snippet(PersonViewSet)
