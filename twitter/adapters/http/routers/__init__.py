"""One router per resource; each route translates HTTP to a use case call and back."""
