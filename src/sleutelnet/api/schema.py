"""OpenAPI details drf-spectacular cannot guess: problem+json errors, the API-Version header, auth."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from sleutelnet.api.errors import PROBLEM_CONTENT_TYPE


class InvalidParamSerializer(serializers.Serializer):
    """One invalid input: the field (camelCase, dotted for nested fields), a code and a reason."""

    name = serializers.CharField(
        help_text="The camelCase name of the field, e.g. `endsAt` or `languages.0.level`."
    )
    code = serializers.CharField(
        help_text="A stable code, e.g. `required`, `invalid`, `max_length`, `does_not_exist`."
    )
    reason = serializers.CharField(
        help_text="What is wrong, in the user's language (Accept-Language)."
    )


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details), content type application/problem+json."""

    type = serializers.CharField(
        help_text="A URI naming the kind of problem, e.g. `urn:sleutelnet:problem:not-found`."
    )
    title = serializers.CharField(
        help_text="Short summary of the kind of problem, in the user's language."
    )
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong this time, in the user's language.")
    instance = serializers.CharField(help_text="The path of the request that failed.")


class ValidationProblemSerializer(ProblemSerializer):
    """Invalid input: a problem with every invalid field listed at once in `invalidParams`."""

    invalid_params = InvalidParamSerializer(many=True)


_ERRORS: dict[str, tuple[type[serializers.Serializer], str]] = {
    "400": (ValidationProblemSerializer, "Invalid input; `invalidParams` lists every field error."),
    "401": (ProblemSerializer, "No valid token (`Authorization: Token <key>` or `Bearer <key>`)."),
    "403": (ProblemSerializer, "Your role does not allow this."),
    "404": (
        ProblemSerializer,
        "Unknown, or not yours to see (other region, organisation or key person).",
    ),
    "409": (ProblemSerializer, "Not possible in the current state of the record."),
}


class ApiAutoSchema(AutoSchema):
    """Adds problem+json error responses and the API-Version response header to every operation."""

    #: Error statuses per kind of operation.
    def _error_codes(self) -> list[str]:
        codes = ["401", "403"]
        if (
            self.method in ("POST", "PUT", "PATCH")
            or self._is_list_view()
            or getattr(self.view, "query_serializer", None)
        ):
            codes.insert(0, "400")
        if "{" in self.path:
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH") and "{" in self.path:
            codes.append("409")
        return sorted(codes)

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:  # type: ignore[override]
        responses = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        if getattr(self.view, "public_endpoint", False):
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            serializer, description = _ERRORS[code]
            response = self._get_response_for_code(
                serializer, code, media_types=(PROBLEM_CONTENT_TYPE,)
            )
            response["description"] = description
            responses[code] = response
        return responses

    def _get_serializer_name(
        self, serializer: Any, direction: str, bypass_extensions: bool = False
    ) -> str:  # type: ignore[override]
        """Input components end in "Input" ("RequestInput", not "RequestRequest")."""
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)  # type: ignore[arg-type]
        if direction == "request" and name.endswith("Request"):
            name = name[: -len("Request")] + "Input"
        return name

    def _get_response_headers_for_code(
        self, status_code: str, direction: str = "response"
    ) -> dict[str, Any]:  # type: ignore[override]
        headers = super()._get_response_headers_for_code(status_code, direction)  # type: ignore[arg-type]
        headers["API-Version"] = {
            "schema": {"type": "string", "example": "1.0.0"},
            "description": "The full version of the API (semantic versioning).",
        }
        return headers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Tokens for integrations; the browser session is not accepted by the API."""

    target_class = "sleutelnet.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token of an organisation, sent as `Authorization: Bearer <key>` (or "
                "`Authorization: Token <key>`). An administrator issues one at /settings/api-tokens "
                "(or with `sleutelnet create_api_token`): it acts as one user, only within its "
                "organisation's region, only for its scopes (e.g. `requests:read`), until it expires "
                "or is revoked. Only a hash of the key is stored."
            ),
        }
