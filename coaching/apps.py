from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"

    def ready(self):
        from accounts import dashboard, privacy
        from accounts.dashboard import Panel

        from . import privacy as coaching_privacy
        from . import selectors

        privacy.register(coaching_privacy.PART)
        dashboard.register(dashboard.COMPANY, Panel("coaching/_company_dashboard.html", selectors.company_dashboard))
        dashboard.register(dashboard.COACH, Panel("coaching/_coach_dashboard.html", selectors.team_dashboard))
        dashboard.register(dashboard.STAFF, Panel("coaching/_staff_dashboard.html", selectors.team_dashboard))
