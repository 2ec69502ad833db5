from django.urls import path

from . import feedback_views

app_name = "health"

urlpatterns = [
    path("feedback/<int:article_id>/", feedback_views.vote, name="feedback_vote"),
    path("feedback/<int:article_id>/missing/", feedback_views.missing, name="feedback_missing"),
]
