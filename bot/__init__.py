"""Puente: a multilingual assistant that helps migrants in Mexico find work."""

__version__ = "0.1.0"
