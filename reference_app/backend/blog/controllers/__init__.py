"""Controllers adapt HTTP to the services: request schemas in, domain commands to the
service, domain results out as response schemas, and whatever else is HTTP (cookies).
They hold no business rules and run no queries."""
