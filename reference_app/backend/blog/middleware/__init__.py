"""Cross-cutting HTTP concerns: authentication, error responses, rate limiting, access logs."""
