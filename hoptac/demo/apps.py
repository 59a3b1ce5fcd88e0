from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: only the demo generators and their commands (load_demo, load_demo_scoring,
    load_demo_tasks, demo_logins)."""

    name = "hoptac.demo"
