"""Plugin «operations»: Etapa 3: convenios de gestión, incentivos, inversión y Presupuesto por Resultados.

Hook implementations live here (see core/hookspecs.py); the manifest is manifest.toml.
"""
