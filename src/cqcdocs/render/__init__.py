"""Renderers: the scored result → documents. Nothing here computes a figure; `scoring` does.

- `page`: the A4 page every document is laid out on.
- `sentences`: sentences more than one document says (ranking, draft changes, executive summary).
- `word/`: Word mechanics (template, runs and fields, tables, figures, package properties).
- `briefing`: the briefing's sections, in the governance pack's order.
- `charts`: the briefing's charts as pictures (matplotlib).
- `annex`: the Excel annex (XlsxWriter), its tables and native charts.
"""
