"""Dashboards of stage 4 (per government, per region, national) and the quarterly follow-up report."""
