"""The yearly evaluation of the Plan Articulado (Norma Técnica N° 001-2008, 5.1.4 and 5.2.4)."""
