"""Helpmate: an open-source customer-service desk."""

__version__ = "0.1.0"
