"""Sessions of the Instancia de Articulación: attendance and quorum, agreements followed up as
deadlines, and the Acta de Sesión (models, fields, operations, quorum, pages, api, admin, documents, demo)."""
