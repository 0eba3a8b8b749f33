"""What a story's text may hold, stated once for every way in (API, admin, importer) and for the models.

``markup`` sanitizes the light inline markup paragraphs carry and reads plain text out of it, ``limits``
bounds how much one story may hold, and ``rules`` states what each body block and quote must be. They
import nothing else from the project, so the models and everything above them can build on them.
"""
