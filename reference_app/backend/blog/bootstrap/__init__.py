"""Process start-up: signing keys and logging, done once before the app serves a request.

This package is deliberately outside the application layers (routes, controllers, services,
repositories, middleware, validators). Those run per request and must stay stateless: no
local files, no process-wide state (archlint's local-file-write and mutable-module-state
rules). Start-up work is different: it runs once per process, from the composition root
(:mod:`blog.app`) and the entry point (:mod:`blog.main`), like reading the configuration.
"""
