"""Plugin «monitoring»: Etapa 4: indicadores, Registro de la Ventanilla CRECER y evaluación.

Hook implementations live here (see core/hookspecs.py); the manifest is manifest.toml.
"""
