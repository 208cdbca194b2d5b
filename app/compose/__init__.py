"""Compose: assemble a draft outline (speech or meeting report) from the phrase bank and the retriever.

``plan`` is pure (request + bank + a passage lookup → ``Draft``); ``render`` and ``docx`` turn a draft into
text formats through Jinja templates; ``service`` is the database / index edge.
"""
