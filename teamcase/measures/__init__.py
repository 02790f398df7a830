"""How we are doing: the team's own measures, for learning, never targets."""
