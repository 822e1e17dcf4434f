"""Tables of the monitoring plugin: each sub-package's models, imported here so the app registers them."""

from plugins.monitoring import present

MODULES = present("models")
