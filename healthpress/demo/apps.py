from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site that `make run` loads: the `load_demo` command, its data, and one small model
    remembering which pieces of demo activity it has made (models.DemoItem)."""

    name = "healthpress.demo"
    label = "demo"
    verbose_name = "Demo site"
