from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "healthpress.questions"
    label = "questions"
    verbose_name = "Readers' questions"

    def ready(self):
        from . import receivers

        receivers.connect()
