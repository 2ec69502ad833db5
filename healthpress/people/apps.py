from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "healthpress.people"
    label = "people"

    def ready(self):
        from . import receivers

        receivers.connect()
