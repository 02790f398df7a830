"""Sharing the team's work without a hierarchy: referrals, the week plan and my
day, the team board, and our team (members, roles, joining).

Serves:
    /referrals/...          the referrals inbox: record, accept, decline, keep (referrals)
    /plan/...               the week plan, my day, handing over, done (plan)
    /board/...              the team board (board)
    /team/...               our team: details, colleagues, roles, invitations (team)
    /join/<id>              a new colleague's invitation link (team)

A linked coach reads the plan and the board of a team at /plan/teams/<id> and
/board/teams/<id>, with people pseudonymised.
"""


def blueprints():
    from teamcase.teamwork import board, plan, referrals, team

    return [referrals.bp, plan.bp, board.bp, team.bp, team.joining]
