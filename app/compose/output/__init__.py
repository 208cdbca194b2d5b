"""Rendering a draft: Jinja templates (json/md/text/html), the GB/T 9704 .docx, traditional script."""
