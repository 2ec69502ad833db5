from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "healthpress.people"
    label = "people"
