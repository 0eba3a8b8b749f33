"""Django's JSON fixture format with full-precision times, for backups.

The stock encoder cuts datetimes to milliseconds; a restore must give back exactly what was saved.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = FullPrecisionEncoder


Deserializer = django_json.Deserializer
