"""The benchmark apps: one package per framework, one module per variant, same six endpoints.

Endpoints (identical behaviour everywhere; the answers are defined in `common`):
GET /json, POST /validated, GET /upstream, GET /sse, GET /cpu, GET /db.
"""
