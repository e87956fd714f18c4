"""Pure domain: entities, their invariants and the errors they raise. Standard library only."""
