"""The editor's desk in the admin: the home page, the story page's body editor, quote proposals, pictures.

Imports run one way: desk views → articles.services / articles.importing → articles.models.
"""
