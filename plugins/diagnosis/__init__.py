"""Plugin «diagnosis»: Etapa 2: diagnóstico y Plan Articulado
(resultados, indicadores, metas, actividades, presupuesto, responsables).

Hook implementations live here (see core/hookspecs.py); the manifest is manifest.toml.
"""
