"""Documents that leave the team: about one person, or everything the team holds.

Serves:
    /people/<id>/profile.pdf    the one-page profile for the fridge (profile)
    /people/<id>/export.json    everything the team holds about one person (exports)
    /team/<id>/export.jsonl     everything the team holds, as JSON lines (exports)
"""


def blueprints():
    from teamcase.reports import exports, profile

    return [profile.bp, exports.bp]
