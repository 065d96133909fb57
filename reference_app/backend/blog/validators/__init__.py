"""Request and response schemas (pydantic): the shape of the API, checked at the edge.

Requests that do not fit are answered 422 before any controller runs. Inputs forbid unknown
fields; outputs are built from the domain dataclasses (``from_attributes``) and list their
fields explicitly, so nothing is exposed by accident (a user's password hash, say).
"""
