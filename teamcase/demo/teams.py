"""The demo's teams and accounts, and each team's own page: details, rotating roles
and the log of who joined and left (teams.toml).

Accounts are rows, not `User.add_colleague`: that verb hashes a first password per
account (argon2, a noticeable moment each) and logs "now"; these members joined
years ago and share one demo password. The roles' turns and the team's log are
history, each entry dated when it happened, so they are written as rows too.
"""

import datetime as dt
import json
import random
import secrets

from peewee import fn

from teamcase.demo.details import DEMO_ZONE, local_utc
from teamcase.models import (
    AuditEvent,
    CoachLink,
    Invitation,
    RoleHolding,
    Team,
    TeamRole,
    User,
)


def add_accounts(demo, password_hash):
    """Both teams with their members (joined how long ago; a former colleague who left),
    the coach and the back office. Returns {team key: (team, [(member, since, until)])}."""
    now, data = demo.now, demo.data.teams
    teams = {}
    for key, spec in data["teams"].items():
        team = Team.create(
            name=spec["name"],
            area=spec["area"],
            created_at=now - dt.timedelta(days=spec["days_old"]),
        )
        teams[key] = (team, [])
    for key, spec in data["teams"].items():
        team, members = teams[key]
        for person in spec["members"]:
            member = _account(team, spec, person, password_hash, now, demo.data.lang)
            members.append((member, member.created_at, None))
        # A colleague who left the team; her older notes stay hers.
        for person in spec.get("former", []):
            member = _account(team, spec, person, password_hash, now, demo.data.lang, active=False)
            left = now - dt.timedelta(days=person["left_days_ago"])
            members.append((member, member.created_at, left))
    for coach in data["coach"]:
        account = User.create(
            email=coach["email"],
            name=coach["name"],
            password_hash=password_hash,
            role=User.COACH,
            language=demo.data.lang,
            team=None,
            created_at=now - dt.timedelta(days=coach["days_old"]),
        )
        for key in coach["teams"]:
            linked = now - dt.timedelta(days=coach["linked_days_ago"])
            CoachLink.create(coach=account, team=teams[key][0], created_at=linked)
    for office in data["back_office"]:
        User.create(
            email=office["email"],
            name=office["name"],
            password_hash=password_hash,
            role=User.BACKOFFICE,
            language=demo.data.lang,
            team=None,
            created_at=now - dt.timedelta(days=office["days_old"]),
        )
    return teams


def _account(team, spec, person, password_hash, now, language, active=True):
    # A demo account sees the demo in the language it was written in.
    name = person["name"]
    return User.create(
        email=f"{name.split()[0].lower()}@{spec['email_domain']}",
        name=name,
        password_hash=password_hash,
        role=User.MEMBER,
        team=team,
        active=active,
        language=language,
        created_at=now - dt.timedelta(days=person["joined_days_ago"]),
    )


def add_team_pages(demo, teams):
    """Each team's details, roles and turns; then its log of who joined and left (a
    leaving colleague among it) and an invitation that nobody has used yet."""
    rng = random.Random(2030)  # its own stream: the other demo data stays put
    now, today, data = demo.now, demo.today, demo.data.teams

    def moment(days_ago, hours=(10, 16)):
        local = dt.datetime.combine(
            today - dt.timedelta(days=days_ago), dt.time(rng.randint(*hours), rng.randint(0, 59))
        ).replace(tzinfo=DEMO_ZONE)
        return min(local.astimezone(dt.UTC).replace(tzinfo=None), now)

    def log(team, actor, when, action, entity, entity_id, before=None, after=None):
        """`when`: days ago (some time that working day), or the very moment."""
        AuditEvent.create(
            team=team,
            actor=actor,
            at=moment(when) if isinstance(when, int) else when,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=json.dumps({"before": before, "after": after}, sort_keys=True),
        )

    for key, spec in data["teams"].items():
        team, members = teams[key]
        Team.update(**spec["details"]).where(Team.id == team.id).execute()
        people = {m.name: m for m, _since, _until in members}

        def someone(days_ago, members=members, but=None):
            """A member who had been in the team for a month or more that day."""
            when = now - dt.timedelta(days=days_ago)
            settled = when - dt.timedelta(days=30)
            there = [
                m
                for m, since, until in members
                if since <= settled and (not until or when < until) and m.name != but
            ]
            return rng.choice(there)

        for spec_role in spec["roles"]:
            name, purpose, turns = spec_role["name"], spec_role["purpose"], spec_role["turns"]
            named_days = turns[0]["since_days_ago"] + rng.randint(1, 20)
            role = TeamRole.create(
                team=team, name=name, purpose=purpose, created_at=moment(named_days)
            )
            after = {"role": name, "purpose": purpose}
            log(team, someone(named_days), named_days, "create", "role", role.id, after=after)
            previous = None  # (holder, until) of the turn before
            for turn in turns:
                holder, since = turn["holder"], turn["since_days_ago"]
                until = turn.get("until_days_ago")
                RoleHolding.create(
                    role=role,
                    member=people[holder],
                    since=today - dt.timedelta(days=since),
                    until=today - dt.timedelta(days=until) if until is not None else None,
                )
                handed_from = None
                if previous and people[previous[0]].active:
                    if previous[1] == since:
                        handed_from = previous[0]
                    else:
                        # A turn that ended before anyone took over; one that ended
                        # because its holder left is in her leaving entry.
                        log(
                            team,
                            someone(previous[1]),
                            previous[1],
                            "end",
                            "role",
                            role.id,
                            before={"role": name, "holder": previous[0]},
                            after={"role": name, "holder": None},
                        )
                log(
                    team,
                    someone(since, but=holder),
                    since,
                    "hand",
                    "role",
                    role.id,
                    before={"role": name, "holder": handed_from},
                    after={"role": name, "holder": holder},
                )
                previous = (holder, until)

    # The comings and goings, after every team's roles (the order keeps the stream).
    for key, spec in data["teams"].items():
        team, members = teams[key]
        people = {m.name: m for m, _since, _until in members}
        for joined in spec.get("invited", []):
            member, inviter = people[joined["member"]], people[joined["invited_by"]]
            joined_days = (now - member.created_at).days
            invitation = Invitation.create(
                team=team,
                name=member.name,
                email=member.email,
                token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
                invited_by=inviter,
                created_at=(invited_at := moment(joined_days + 3)),
                expires_at=invited_at + dt.timedelta(days=7),
                used_at=(joined_at := moment(joined_days)),
            )
            log(
                team,
                inviter,
                invited_at,
                "create",
                "invitation",
                invitation.id,
                after={
                    "name": member.name,
                    "email": member.email,
                    "expires_at": invitation.expires_at.isoformat(sep=" "),
                },
            )
            log(
                team,
                member,
                joined_at,
                "join",
                "member",
                member.id,
                after={"name": member.name, "email": member.email, "invited_by": inviter.name},
            )
        for added in spec.get("first_password", []):
            member = people[added["member"]]
            log(
                team,
                people[added["added_by"]],
                (now - member.created_at).days,
                "create",
                "member",
                member.id,
                after={"name": member.name, "email": member.email, "how": "first password"},
            )
        for former in spec.get("former", []):
            member = people[former["name"]]
            log(
                team,
                people[former["deactivated_by"]],
                # In the morning: a colleague took over her role later that day.
                moment(former["left_days_ago"], hours=(8, 9)),
                "deactivate",
                "member",
                member.id,
                before={"name": member.name, "active": True},
                after={
                    "name": member.name,
                    "active": False,
                    "note": former["note"],
                    "roles_ended": former["roles_ended"],
                },
            )
        for change in spec.get("capacity_changes", []):
            details = {**spec["details"], "capacity": change["before"]}
            before = {"name": team.name, "area": team.area, **details}
            log(
                team,
                people[change["by"]],
                change["days_ago"],
                "update",
                "team",
                team.id,
                before=before,
                after={**before, "capacity": change["after"]},
            )
        # Asked a few days ago; the link (shown once, to whoever asked) still works.
        for invited in spec.get("invitations", []):
            asked = moment(invited["days_ago"])
            inviter = people[invited["invited_by"]]
            invitation = Invitation.create(
                team=team,
                name=invited["name"],
                email=invited["email"],
                token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
                invited_by=inviter,
                created_at=asked,
                expires_at=asked + dt.timedelta(days=7),
            )
            log(
                team,
                inviter,
                asked,
                "create",
                "invitation",
                invitation.id,
                after={
                    "name": invited["name"],
                    "email": invited["email"],
                    "expires_at": invitation.expires_at.isoformat(sep=" "),
                },
            )


def share_with_coach(demo, teams):
    """The measures a team shares with its coach (teams.toml, `coach_shares`): a
    member chose them in the team's details, through the team's verb, that many
    days ago, and the team's log says so."""
    for key, spec in demo.data.teams["teams"].items():
        shares = spec.get("coach_shares")
        if not shares:
            continue
        team = Team.get_by_id(teams[key][0].id)
        by = User.get(User.team == team, User.name == shares["by"])
        assert team.update_details(by, team.version, coach_measures=",".join(shares["measures"]))
        chosen = local_utc(demo.today - dt.timedelta(days=shares["days_ago"]), dt.time(11, 0))
        latest = (
            AuditEvent.select(fn.MAX(AuditEvent.id))
            .where(AuditEvent.entity == Team.ENTITY, AuditEvent.entity_id == team.id)
            .scalar()
        )
        AuditEvent.update(at=chosen).where(AuditEvent.id == latest).execute()
