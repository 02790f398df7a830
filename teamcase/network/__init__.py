"""The people and places around a person: their network and its picture (the
ecomap), the team's directory of local resources, and offers that meet needs
between neighbours.

Serves:
    /people/<id>/network    add someone to the network (members)
    /network/...            edit or end a tie (members)
    /people/<id>/ecomap.svg the ecomap (ecomap)
    /resources/...          local resources, CSV import and export (resources)
    /offers-and-needs       offers and needs (neighbours)
    /connections/...        connecting an offer with a need (neighbours)
"""


def blueprints():
    from teamcase.network import ecomap, members, neighbours, resources

    return [members.bp, ecomap.bp, resources.bp, neighbours.bp]
