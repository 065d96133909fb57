"""HTTP routes: paths, methods, status codes and dependencies, and nothing else.

Each handler is one line: it hands the validated request to a controller. The API lives
under ``/api/v1`` (:mod:`blog.routes.api`); collections are plural nouns and the HTTP method
is the verb.
"""
