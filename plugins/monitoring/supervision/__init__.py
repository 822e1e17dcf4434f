"""Quality supervision (fichas de supervisión, visits, findings and commitments) and community monitoring
(vigilancia comunitaria): Norma Técnica N° 001-2008, §5.1.4 and §5.2.4."""
