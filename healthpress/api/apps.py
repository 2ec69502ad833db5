from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "healthpress.api"
    label = "api"
    verbose_name = "Partner API"

    def ready(self):
        # Each signal lives with the module that reacts to it. Withdrawals first: on commit the
        # row is written before the lists that show it are purged (withdrawals.py).
        from . import purge_rules, withdrawals

        withdrawals.connect()
        purge_rules.connect()
