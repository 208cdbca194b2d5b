"""Reading: file bytes to raw text, by format (plain text, HTML, Markdown, .docx, PDF)."""
