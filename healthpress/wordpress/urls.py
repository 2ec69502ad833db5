from django.urls import path

from . import admin_views

app_name = "wordpress_import"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/report.csv", admin_views.report_csv, name="report_csv"),
]
