from django.urls import path

from healthpress.core.canonical_params import canonical_query

from . import ask_views
from .answered_views import answered_list
from .feeds import AnsweredQuestionsAtomFeed, AnsweredQuestionsFeed

# Feeds take no query (as articles/urls.py): a kept parameter is a 404, never a stored copy.
answered_rss = canonical_query()(AnsweredQuestionsFeed())
answered_atom = canonical_query()(AnsweredQuestionsAtomFeed())

app_name = "questions"

urlpatterns = [
    # Asking (ask_views.py): the form and its steps, the landings, the asker's email link.
    path("ask/", ask_views.ask, name="ask"),
    path("ask/sent/", ask_views.sent, name="sent"),
    path("ask/found/", ask_views.found_landing, name="found"),
    path("ask/confirm/<str:token>/", ask_views.confirm_email, name="confirm_email"),
    # The articles that answered readers' questions, and their feeds (answered_views.py).
    path("questions/answered/", answered_list, name="answered"),
    path("questions/answered/rss/", answered_rss, name="answered_rss"),
    path("questions/answered/atom/", answered_atom, name="answered_atom"),
]
