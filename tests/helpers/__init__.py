"""Helpers shared by test modules, one module per area, so no test module imports another.

- :mod:`tests.helpers.clean`: the cleaner's noise fixtures and views of a cleaning result
- :mod:`tests.helpers.structure`: the headings of a parsed outline
- :mod:`tests.helpers.readers`: sample texts, .docx and .pdf builders, and the check on a refused file
- :mod:`tests.helpers.office`: the speech the LibreOffice conversion tests turn into every office format
- :mod:`tests.helpers.web`: a database with the bundled corpus ingested, and the draft form's fields
- :mod:`tests.helpers.drafts`: drafts built as values, for the rendering and export tests
- :mod:`tests.helpers.storage`: a generated corpus of small speeches, and checks on what is stored
"""
