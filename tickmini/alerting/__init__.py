"""Alert events after the alert node: topics, handler specs, handlers, delivery."""
