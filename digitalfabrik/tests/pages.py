"""The portal's parameterless pages (lists, dashboards, forms), found by walking the URL resolver."""

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.test_authorization import PORTAL_NAMESPACES

# The health endpoints answer a status code and "ok" in plain text: no page for a person.
PAGE_NAMESPACES = PORTAL_NAMESPACES - {"health"}


def _walk(patterns=None, namespace=None):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in PAGE_NAMESPACES or (inner is None and entry.app_name is None and namespace is None):
                yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            if namespace in PAGE_NAMESPACES:
                yield f"{namespace}:{entry.name}"
            elif namespace is None and entry.name == "dashboard":
                yield entry.name


def parameterless_pages() -> list[str]:
    """URL names of every portal page that takes no parameter, sorted."""
    return sorted(set(_walk()))
