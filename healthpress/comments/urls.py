from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("moderate/<str:token>/", views.moderate_by_link, name="moderate"),
    path("confirm/<str:token>/", views.confirm_by_link, name="confirm"),
]
