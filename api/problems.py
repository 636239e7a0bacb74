"""Errors as RFC 9457 problem details (``application/problem+json``)."""

from http import HTTPStatus

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context["request"]
    status = response.status_code
    problem = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "instance": request.path,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = _("The request is not valid; see errors.")
        problem["errors"] = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
    else:
        problem["detail"] = str(response.data.get("detail", "")) if isinstance(response.data, dict) else ""
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        problem["retry_after"] = int(exc.wait)
    response.data = problem
    response.content_type = PROBLEM_JSON
    return response


class ProblemSerializer(serializers.Serializer):
    """Only for the schema: what every error answer looks like."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    errors = serializers.DictField(required=False, child=serializers.JSONField())
    retry_after = serializers.IntegerField(required=False)


def problems(*statuses: int) -> dict:
    """``responses`` entries of extend_schema for these error statuses."""
    return {(status, PROBLEM_JSON): ProblemSerializer for status in statuses}
