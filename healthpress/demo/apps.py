from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site that `make run` loads: no models, only the `load_demo` command and its data."""

    name = "healthpress.demo"
    label = "demo"
    verbose_name = "Demo site"
