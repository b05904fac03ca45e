"""Word mechanics, separate from what the briefing says: the template and page, runs and fields, data
tables, figures, and the package's properties and zip. Each is a thin layer over python-docx's own
objects, with small XML helpers where python-docx has no API (or is too slow for a long briefing)."""
