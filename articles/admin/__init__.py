"""The admin of stories and everything they are made of, one module per subject.

Importing the package registers every page. Imports run one way: these modules → articles.desk →
articles.services → articles.models.
"""

from . import importing, media, records, search, stories, tokens, webhooks, workflow  # noqa: F401
