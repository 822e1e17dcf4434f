"""Plugin «institutionalization»: Etapa 1: Instancia de Articulación (IAR/IAL), sus miembros y la ordenanza que la crea.

Hook implementations live here (see core/hookspecs.py); the manifest is manifest.toml.
"""
