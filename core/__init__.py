"""Articula's core: the case engine, its built-in subsystems and the platform shell.

The app factory is ``core.app.create_app``; plugins mark hook implementations with
``core.hookspecs.hookimpl`` and reach the running app's registry with
``core.plugins.plugin_registry()``. This file imports nothing, so importing any core module
never drags the whole app in (and no import cycle runs through the package root).
"""
