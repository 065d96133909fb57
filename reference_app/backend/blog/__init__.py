"""A small blog API (users, posts, comments): archlint's reference application.

The request path goes routes -> controllers -> services -> repositories; see the README.
"""
