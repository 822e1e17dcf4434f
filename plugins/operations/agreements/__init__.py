"""Convenios de Gestión and inter-institutional agreements (stage 3): models, fields, operations, pages, API."""
