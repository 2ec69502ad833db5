"""/api/v1/ (endpoints.py) and /embed/<article id>/ (embed.py)."""

from django.urls import path

from .embed import embed
from .endpoints import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("embed/<int:article_id>/", embed, name="embed"),
]
