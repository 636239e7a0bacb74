from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        from programme import events

        from . import facts

        events.subscribe(facts.on_event)
