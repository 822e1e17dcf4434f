"""Regional support of local governments (Norma Técnica N° 001-2008, Etapa 3, item 7): for a region, one row
per municipality with its stage-1 to stage-4 status, its convenio's goals and commitments due, and the support
measures taken (the convenio's, and the training and technical-assistance events). Read-only: no tables, no
operations. ``status.py`` (the overview, a fixed number of statements), ``pages.py``, ``api.py``, ``hooks.py``.
Stage 4 (and any stage another plugin knows more about) comes from the ``stage_status`` hook."""
