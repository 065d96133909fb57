"""The domain's vocabulary: entities and commands (dataclasses), the errors the services
raise, and the protocols the services depend on. Framework-free and import-free: every
other part of the backend may import these, and these import nothing of the app."""
