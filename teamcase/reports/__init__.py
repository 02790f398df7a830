"""Documents that leave the team about one person.

Serves:
    /people/<id>/profile.pdf    the one-page profile for the fridge (profile)
"""


def blueprints():
    from teamcase.reports import profile

    return [profile.bp]
