"""The REST API under /api/v1/: public reads of published data and the editorial workflow.

``urls`` (routes), ``views`` (thin HTTP layer), ``serializers`` (separate input and output
serializers), ``conditional`` (ETag / Last-Modified / 304), ``throttling``, ``cors``,
``permissions``, ``errors`` (one error shape with stable codes) and ``docs`` (the documentation
page rendered from the OpenAPI schema).
"""
