"""Renderers: chart definitions and the backends that draw them (Word, Excel, pictures)."""
