"""The back office: which teams exist and who is in them, never any client data.

Serves:
    /office/...             teams, members and coaches (views)
"""


def blueprints():
    from teamcase.office import views

    return [views.bp]
