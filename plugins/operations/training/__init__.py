"""Training, technical assistance and educational communication: events with their participants and
evidence, and the educational-communication plan with its actions
(models, fields, operations, pages, api, admin, demo)."""
