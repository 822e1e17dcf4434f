"""Tests of the monitoring plugin, one package per sub-package."""
