"""Incentives and recognition (Norma Técnica N° 001-2008, Etapa 3): contests of best practices.

A contest (``Contest``, a case of the convening government) goes from its call (Bases del concurso)
through applications, a jury's scoring and the ranking to its award (Resolución de reconocimiento and
one certificate per winner). See models.py for the rules (jurors, conflicts, ranking, deadlines).
"""
