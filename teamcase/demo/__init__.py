"""Demo and benchmark data: for trying teamcase out, and for measuring it.

`seed_demo` loads two teams with their people and histories into an empty database
(`teamcase seed-demo`, `teamcase demo`); `seed_scale` adds many made-up teams for
benchmarks (`teamcase seed-scale`, used by bench/).

What the demo says is data, in `data/<lang>/*.toml` ("en" and "nl"): names,
streets, notes, about-me texts, goals, resources, decisions… The modules here only
draw from it, with fixed random streams, so the demo is the same every time:

- loader.py     seed_demo and the logins it prints
- teams.py      teams, accounts, roles and the team's log
- people.py     a team's people: cases and timelines (timeline.py) and their
                records (records.py)
- referrals.py, closing.py, board.py, plan.py, decisions.py, meetings.py
                the team's shared work, one idea each
- support.py    what the teams asked the back office, one request in each state
- scale.py      seed_scale, through the one bulk path (bulk.py)
- data.py       reads a language's files; details.py makes up Dutch addresses and phones

The demo goes through the models' own verbs (`Client.open`, `Contact.record`,
`Goal.add`…), so it keeps the invariants the app keeps; where it writes rows,
the module says why.
"""

from teamcase.demo.loader import DEMO_PASSWORD, demo_logins, seed_demo
from teamcase.demo.scale import SCALE_PASSWORD, seed_scale

__all__ = ["DEMO_PASSWORD", "SCALE_PASSWORD", "demo_logins", "seed_demo", "seed_scale"]
