"""The portal's parameterless pages (lists, dashboards, forms), found by walking the URL resolver."""

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.test_authorization import PORTAL_NAMESPACES

# The health endpoints answer a status code and "ok" in plain text: no page for a person.
PAGE_NAMESPACES = PORTAL_NAMESPACES - {"health"}


def _allowed_methods(view) -> set[str] | None:
    """The request methods a view accepts (``require_http_methods`` and its shortcuts, or a class-based
    view's ``http_method_names``); None when the view does not restrict them."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {method.upper() for method in view_class.http_method_names}
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return set(view.__closure__[code.co_freevars.index("request_method_list")].cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def _is_page(entry: URLPattern) -> bool:
    """A page opens with GET: a POST-only action (mark all as read, ...) is a button, not a page."""
    methods = _allowed_methods(entry.callback)
    return methods is None or "GET" in methods


def _walk(patterns=None, namespace=None):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in PAGE_NAMESPACES or (inner is None and entry.app_name is None and namespace is None):
                yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups and _is_page(entry):
            if namespace in PAGE_NAMESPACES:
                yield f"{namespace}:{entry.name}"
            elif namespace is None and entry.name == "dashboard":
                yield entry.name


def parameterless_pages() -> list[str]:
    """URL names of every portal page that takes no parameter, sorted."""
    return sorted(set(_walk()))
