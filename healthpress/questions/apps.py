from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "healthpress.questions"
    label = "questions"
    verbose_name = "Readers' questions"
