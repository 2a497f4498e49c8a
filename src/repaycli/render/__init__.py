"""Renderers: one result model, several views (rich terminal, plain text, markdown, JSON)."""
