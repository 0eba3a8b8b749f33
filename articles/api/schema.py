"""The OpenAPI contract: drf-spectacular's schema plus what every operation shares.

Every operation documents the error bodies it can answer with (see errors.py), and every read the
`fields` parameter, so generated clients know the whole shape of the API, not only its happy path.
"""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from ..caching import PublicCacheMixin


class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text='Machine-readable, e.g. "required", "invalid", "does_not_exist".')
    message = serializers.CharField(help_text="A sentence to show a person.")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text='Machine-readable, e.g. "not_found", "permission_denied", "throttled".'
    )
    message = serializers.CharField(help_text="A sentence to show a person.")


class ValidationErrorSerializer(ErrorSerializer):
    optional_fields = ("fields",)

    # Absent when the refusal is about the request as a whole: malformed JSON, a refused workflow move.
    fields = serializers.DictField(
        required=False,
        child=FieldErrorSerializer(many=True),
        help_text="Errors per input: query parameter or body field, nested fields as dotted paths "
        "(`body.2.text`).",
    )


ERROR_DESCRIPTIONS = {
    "400": "Invalid input: a query parameter or body field is wrong or unknown. `fields` names each one.",
    "401": "No valid token. Send `Authorization: Token <key>`.",
    "403": "Your role does not allow this.",
    "404": "No such resource, or not public.",
    "406": "The requested format is not available.",
    "409": "The story's current state does not allow this.",
    "412": "`If-Match` does not match the story's current ETag: someone changed it since you loaded it.",
    "415": "The request body must be JSON.",
    "428": "`If-Match` is required.",
    "429": "Too many requests. Wait for the number of seconds in `Retry-After`.",
    "500": "Our fault; nothing about it is shown. Try again later.",
    "503": "Briefly unavailable (the database is unreachable). Retry after the seconds in `Retry-After`.",
}

FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    str,
    description="Comma-separated fields to include; dotted paths select inside embedded objects, e.g. "
    "`slug,headline,lead_image.url`. Fields not named are left out, required or not; unknown ones are a 400.",
)


class AutoSchema(openapi.AutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        # Responses always carry every field their serializer declares (`?fields=` responses have their
        # own sparse schemas, see contract.py); request shapes keep their own rules.
        component = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            optional = getattr(serializer, "optional_fields", ())
            required = [name for name in component["properties"] if name not in optional]
            component.pop("required", None)
            if required:
                component["required"] = required
        return component

    def get_auth(self):
        auths = super().get_auth()  # also registers the security schemes
        if self.method == "GET" and not self.staff_read():
            # Public reads: anyone, no credentials. Contract.py writes `security: []` for them.
            return []
        return [auth for auth in auths if auth]

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "sparse_fields", False) and self.read_action() in ("list", "retrieve"):
            parameters.append(FIELDS_PARAMETER)
        return parameters

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # Lists refused past max_length before their items are read (inputs.BoundedList) say so as maxItems,
        # which drf-spectacular does not derive from a list's own max_length.
        limit = getattr(field, "max_length", None)
        if schema.get("type") == "array" and limit is not None:
            schema["maxItems"] = limit

    def read_action(self):
        """The view's action, with aliases of `retrieve` (a story by id) read as `retrieve`."""
        action = getattr(self.view, "action", None)
        return "retrieve" if action in getattr(self.view, "detail_aliases", ()) else action

    def staff_read(self):
        """Whether this read needs a staff account (a whole staff-only view, or one staff action)."""
        action = getattr(self.view, "action", None)
        return getattr(self.view, "staff_only", False) or action in getattr(self.view, "STAFF_READS", ())

    def error_codes(self):
        codes = {"406", "429", "500", "503"}
        action = getattr(self.view, "action", None)
        if self.method == "GET":
            if self.read_action() in ("list", "retrieve"):
                codes.add("400")  # a bad or unknown query parameter
            if not self._is_list_view():
                codes.add("404")
            if self.staff_read():
                codes |= {"401", "403"}
        else:
            codes |= {"400", "401", "403", "404", "415"}
            if self._is_create_operation() and "{" not in self.path:
                codes.discard("404")
            if self.method in ("PUT", "PATCH"):
                codes |= {"412", "428"}
            elif action in getattr(self.view, "IF_MATCH_ACTIONS", ()):
                codes.add("412")  # workflow moves take an optional If-Match
            if self.get_request_serializer() is None:
                codes -= {"400", "415"}  # nothing is read from the request
            codes |= set(getattr(self.view, "extra_error_codes", {}).get(self.view.action, ()))
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if self.method == "GET" and isinstance(self.view, PublicCacheMixin) and self.view.action != "edit":
            # Conditional reads; contract.py describes the answer and its headers.
            responses["304"] = {"description": "Not modified."}
        for code in sorted(self.error_codes()):
            if code in responses:
                continue
            serializer = ValidationErrorSerializer if code == "400" else ErrorSerializer
            # Errors come back in whichever representation was asked for (JSON, ninjs, ...).
            media_types = self.map_renderers("media_type") or ["application/json"]
            response = self._get_response_for_code(serializer, code, media_types=media_types)
            response["description"] = ERROR_DESCRIPTIONS[code]
            responses[code] = response
        return responses
