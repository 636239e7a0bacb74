from . import permissions


def reports(request):
    """Whether the navigation and dashboards offer the PDF reports (asked only where a template does)."""
    return {"can_read_reports": lambda: permissions.can_read_reports(request.user)}
