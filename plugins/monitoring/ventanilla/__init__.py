"""Ventanilla CRECER (Norma Técnica N° 001-2008, §3.1.5, §5.1.4, §5.2.4, DS 5 and 6): offices, public intake
with a tracking code, referral to programs with working-day due dates, escalation, and the registry.

Entries are plain records, not cases: a citizen's entry has no cycle year, no workflow document and no
reference number of the case engine, and there may be hundreds of thousands; they are scoped through
``core/security.py`` named actions declared in ``operations.py`` (the holding office's government, and the
original office's after an escalation).
"""
