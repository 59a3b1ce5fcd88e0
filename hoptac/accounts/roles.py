"""Every role rule of HợpTác, in one module. Nothing else reads `user.role`, `user.is_superuser` or
`user.areas` to decide a right: pages, API, admin, services, exports, imports and reminders ask here.

The roles (accounts.models.Role):

* **administrator** (or a Django superuser, whatever its role field says): everything;
* **provincial officer**: sees and changes every organisation of the province; approves ratings, reopens
  accepted years, manages plans and schemes, generates the annual report; coordinates the tasks' follow-up
  when their agency is the coordinating one;
* **commune officer**: sees and changes the organisations of their communes (the areas given to them, a
  district or province meaning every commune inside it); reviews their yearly data and ratings; reports for
  their agency and the People's Committees of their areas;
* **cooperative representative**: sees and changes their own organisation (contact details only), fills and
  submits its yearly data and self-score;
* **viewer**: reads only — everything, or the organisations and agencies of their areas.

An inactive or anonymous user has no right at all. Rights are of two kinds here:

* *reach* rules (`organisation_reach`, `agency_reach`, `owner_reach`) say which rows a user sees or changes;
  scoped models tie them to their fields with `hoptac.core.scoping.Scope`;
* *capabilities* (`is_officer`, `can_reopen_yearly`, …) say which acts a role may do at all; the service
  doing the act checks the capability and the object's scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from django.db.models import Model, Q
from django.utils.translation import gettext as _

from hoptac.areas.selectors import commune_ids_within, communes_linked_to
from hoptac.core.scoping import Action, Reach

from .models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.core.review import ReviewedModel


# ---------------------------------------------------------------------------------------------
# Who the user is. Every rule takes the user of a request, signed in or anonymous (`User | AnonymousUser`):
# an anonymous visitor has no right, which the rules answer rather than fail on.


def is_active(user: User | AnonymousUser | None) -> TypeGuard[User]:
    """Signed in and not deactivated: the condition of every right."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_of(user: User | AnonymousUser) -> str | None:
    """The role that decides the user's rights: None for an inactive or anonymous user, `admin` for a
    superuser."""
    if not is_active(user):
        return None
    if user.is_superuser:
        return Role.ADMIN
    return str(user.role)


def is_admin(user: User | AnonymousUser) -> bool:
    return role_of(user) == Role.ADMIN


def is_province_wide(user: User | AnonymousUser) -> bool:
    """An administrator or a provincial officer."""
    return role_of(user) in (Role.ADMIN, Role.PROVINCE)


def is_officer(user: User | AnonymousUser) -> bool:
    """An administrator, a provincial officer or a commune officer: the people who keep the registry."""
    return role_of(user) in (Role.ADMIN, Role.PROVINCE, Role.COMMUNE)


def is_commune_officer(user: User | AnonymousUser) -> bool:
    return role_of(user) == Role.COMMUNE


def is_representative(user: User | AnonymousUser) -> bool:
    return role_of(user) == Role.REPRESENTATIVE


def is_viewer(user: User | AnonymousUser) -> bool:
    return role_of(user) == Role.VIEWER


def role_label(user: User) -> str:
    """The role as shown beside the user's name."""
    if user.is_superuser:
        return _("Superuser")
    return str(user.get_role_display())


def scope_description(user: User | AnonymousUser) -> str:
    """What the user sees and changes, in a sentence for their profile page."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.PROVINCE) and not has_own_province(user):
        return _("You can see and change every organisation in the registry.")
    if role in (Role.COMMUNE, Role.PROVINCE):
        return _("You can see and change the organisations located in the areas below.")
    if role == Role.REPRESENTATIVE:
        return _("You can see the organisation you represent and update its contact details and yearly data.")
    if role == Role.VIEWER and area_ids(user):
        return _("You can read (not change) the organisations located in the areas below.")
    return _("You can read (not change) every organisation in the registry.")


# ---------------------------------------------------------------------------------------------
# Areas.


def commune_ids(user: User | AnonymousUser) -> frozenset[int]:
    """Every commune inside the user's areas (a district or province counts as all its communes).
    Cached on the user object for the request."""
    if not is_active(user):
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_hoptac_commune_ids", None)
    if cached is None:
        cached = frozenset(commune_ids_within(user.areas.all()))
        user._hoptac_commune_ids = cached
    return cached


def area_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The user's areas themselves and every commune inside them (agencies govern districts and provinces
    too). Cached on the user object for the request."""
    if not is_active(user):
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_hoptac_area_ids", None)
    if cached is None:
        cached = frozenset(user.areas.values_list("pk", flat=True)) | commune_ids(user)
        user._hoptac_area_ids = cached
    return cached


def has_own_province(user: User | AnonymousUser) -> bool:
    """A provincial officer whose account names areas (an installation that serves several provinces, e.g. the
    whole country: `generate_national`'s `tinh_<code>`) reaches only those areas; one whose account names none
    serves the whole installation (one province: the usual case). Docs: decisions/0043."""
    return role_of(user) == Role.PROVINCE and bool(area_ids(user))


def plans_by_area(user: User | AnonymousUser) -> bool:
    """Whether the user is offered only the plans whose territory holds one of their communes: a provincial
    officer of one province among several (`has_own_province`) and a commune officer (a plan over another
    province or district counts nothing of theirs; in a national installation they would otherwise be offered
    every province's plan). Docs: decisions/0043 and 0049."""
    role = role_of(user)
    return has_own_province(user) or (role == Role.COMMUNE and bool(area_ids(user)))


# ---------------------------------------------------------------------------------------------
# Reach: which rows a user sees ("view") or changes ("change").


def organisation_reach(user: User | AnonymousUser, action: Action) -> Reach:
    """Organisations (and everything that belongs to one: status, yearly data, ratings, surveys,
    evidence). Names: `communes` (the organisation's commune on either map) and `organisations`."""
    if not is_active(user):
        return Reach.none()
    role = role_of(user)
    if role == Role.ADMIN or (role == Role.PROVINCE and not has_own_province(user)):
        return Reach.all()
    if role == Role.PROVINCE:
        return Reach.of(communes=commune_ids(user))
    if role == Role.REPRESENTATIVE:
        return Reach.of(organisations=[user.organisation_id])
    if role == Role.VIEWER:
        if action != "view":
            return Reach.none()
        if not area_ids(user):
            return Reach.all()
        return Reach.of(communes=commune_ids(user))
    if role == Role.COMMUNE:
        return Reach.of(communes=commune_ids(user))
    return Reach.none()


def agency_reach(user: User | AnonymousUser, action: Action) -> Reach:
    """Reporting periods, progress reports and their attachments, by the agency that owes them. Names:
    `agencies` (the user's own agency) and `areas` (agencies governing one of the user's areas or a commune
    inside them: the People's Committees a commune officer reports for). Changing a report is decided by
    `can_report_for` and `can_review_reports`; the reach is the same for both actions."""
    if not is_active(user):
        return Reach.none()
    role = role_of(user)
    if role == Role.ADMIN or (role == Role.PROVINCE and not has_own_province(user)):
        return Reach.all()
    if role == Role.REPRESENTATIVE:
        return Reach.none()
    if role == Role.VIEWER and not area_ids(user):
        return Reach.all()
    return Reach.of(agencies=[user.agency_id], areas=area_ids(user))


def owner_reach(user: User | AnonymousUser, action: Action) -> Reach:
    """Things a user made for themselves (their import files): only their own, whatever the role. Name:
    `users`."""
    return Reach.of(users=[user.pk]) if is_active(user) else Reach.none()


def data_request_reach(user: User | AnonymousUser, action: Action) -> Reach:
    """Personal-data requests (hoptac.privacy): all of them to those who handle them, none to anyone else."""
    return Reach.all() if can_handle_data_requests(user) else Reach.none()


def area_filter_reach(user: User | AnonymousUser, action: Action) -> Reach:
    """The administrative units a list's "area" filter offers: every unit to those who see the whole
    province; to a user who sees only some communes, their own areas, the communes inside them and those
    communes' counterparts on the other map (a representative: their organisation's communes). Name: `units`."""
    if not is_active(user):
        return Reach.none()
    reach = organisation_reach(user, "view")
    if reach.everything:
        return Reach.all()
    if is_representative(user):
        organisation = user.organisation
        own = [organisation.commune_legacy_id, organisation.commune_current_id] if organisation else []
        return Reach.of(units=own)
    communes = set(commune_ids(user))
    return Reach.of(units=set(area_ids(user)) | communes | communes_linked_to(communes))


def commune_choice_reach(user: User | AnonymousUser, action: Action) -> Reach:
    """The communes a user may place an organisation in: every commune, or for a commune officer their own
    communes (and, by the caller, the communes on the other map that succeed or precede them). Name:
    `communes`."""
    if not is_active(user):
        return Reach.none()
    if is_commune_officer(user):
        return Reach.of(communes=commune_ids(user))
    return Reach.all()


# ---------------------------------------------------------------------------------------------
# Capabilities: which acts a role may do at all (the service adds the object's scope).

# The registry.


def can_register_organisations(user: User | AnonymousUser) -> bool:
    """Register new organisations, import lists, record legal status (in their scope)."""
    return is_officer(user)


def sees_data_sources(user: User | AnonymousUser) -> bool:
    """Where a data file's entry comes from and the team's notes on it (an agency's "source: domain.md
    §1.5"): for administrators, who maintain the files; nobody else's page shows them."""
    return is_admin(user)


def sees_team_notes(user: User | AnonymousUser) -> bool:
    """The province's working notes on a scoring scheme (parts still to be completed, points scored by hand,
    the data behind a proposed score): for officers, not for representatives and viewers."""
    return is_officer(user)


def can_view_audit(user: User | AnonymousUser) -> bool:
    """The audit trail (sign-ins, exports, imports, review steps, changes, personal data seen): administrators."""
    return is_admin(user)


def can_use_two_factor(user: User | AnonymousUser) -> bool:
    """Two-step sign-in (hoptac.accounts.two_factor) is offered to the roles of settings.HOPTAC_TWO_FACTOR_ROLES
    (administrators and provincial officers)."""
    from django.conf import settings

    return is_active(user) and role_of(user) in settings.HOPTAC_TWO_FACTOR_ROLES


def must_use_two_factor(user: User | AnonymousUser) -> bool:
    """...and mandatory for those of settings.HOPTAC_REQUIRE_2FA_ROLES."""
    from django.conf import settings

    return can_use_two_factor(user) and role_of(user) in settings.HOPTAC_REQUIRE_2FA_ROLES


def can_handle_data_requests(user: User | AnonymousUser) -> bool:
    """A data subject's request to see, correct or erase their personal data (hoptac.privacy): administrators."""
    return is_admin(user)


def can_import(user: User | AnonymousUser) -> bool:
    """Import a list: officers (rows inside their scope), and a representative (their own organisation's
    contact details and yearly data)."""
    return is_officer(user) or (
        is_active(user) and is_representative(user) and user.organisation_id is not None
    )


def edits_contact_details_only(user: User | AnonymousUser) -> bool:
    """A representative changes their organisation's contact details, never its identity or status."""
    return is_representative(user)


def can_submit_yearly_data(user: User | AnonymousUser) -> bool:
    """Submit an organisation's yearly data for review (in their scope): its representative, or an officer
    for data brought on paper."""
    return is_officer(user) or is_representative(user)


def can_review_yearly_data(user: User | AnonymousUser) -> bool:
    """Accept or return submitted yearly data (in their scope)."""
    return is_officer(user)


def can_reopen_yearly_data(user: User | AnonymousUser) -> bool:
    """Reopen an accepted year for corrections."""
    return is_province_wide(user)


# Scoring.


def can_self_assess(user: User | AnonymousUser) -> bool:
    """Fill and submit the self-score, attach evidence and the members' survey (in their scope): the
    representative, or an officer on the organisation's behalf."""
    return is_officer(user) or is_representative(user)


def can_review_ratings(user: User | AnonymousUser) -> bool:
    """Start evaluations, review the self-score, return it, change the scheme (in their scope)."""
    return is_officer(user)


def can_approve_ratings(user: User | AnonymousUser) -> bool:
    """Approve, return a review and reopen an approved rating."""
    return is_province_wide(user)


# Plans, schemes and the annual report.


def can_manage_plans(user: User | AnonymousUser) -> bool:
    """Assess qualitative targets, load scoring schemes, generate the annual report."""
    return is_province_wide(user)


# The follow-up of tasks.


def is_coordinator(user: User | AnonymousUser) -> bool:
    """A provincial officer of a coordinating agency, or an administrator: assigns tasks, accepts or returns
    progress reports, hands over a merged agency's work."""
    if not is_active(user):
        return False
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.PROVINCE and user.agency is not None and bool(user.agency.coordinates)


def can_review_reports(user: User | AnonymousUser, report: ReviewedModel | None = None) -> bool:
    """A coordinator reviews progress reports, never their own submission."""
    if not is_coordinator(user):
        return False
    return report is None or report.submitted_by_id != user.pk


class ReportingAgency(Protocol):
    """What `can_report_for` reads of an agency (hoptac.tasks.models.Agency, which accounts may not import)."""

    @property
    def pk(self) -> Any: ...

    @property
    def area_id(self) -> int | None: ...

    @property
    def governs_locally(self) -> bool: ...


def can_report_for(user: User | AnonymousUser, agency: ReportingAgency | None) -> bool:
    """Write and submit the progress reports an agency owes: its own users (not viewers or
    representatives), a commune officer for the People's Committees of their areas, and administrators."""
    if agency is None or not is_active(user):
        return False
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role in (Role.VIEWER, Role.REPRESENTATIVE):
        return False
    if agency.pk == user.agency_id:
        return True
    return role == Role.COMMUNE and agency.governs_locally and agency.area_id in area_ids(user)


# ---------------------------------------------------------------------------------------------
# Who is who, for messages and commands.


def representatives_of(organisations: Iterable[int | None | Model]) -> Q:
    """A Q over users: the active representatives of these organisations (ids, organisations or a queryset
    of them; e.g. for reminders)."""
    return Q(role=Role.REPRESENTATIVE, organisation__in=organisations, is_active=True, is_superuser=False)


def command_user(username: str | None = None) -> User | None:
    """The user a management command acts as: the one named, or else the first active superuser."""
    users = User.objects.filter(is_active=True)
    if username:
        return users.filter(username=username).first()
    return users.filter(is_superuser=True).order_by("pk").first()


def reporters_of(agency: ReportingAgency | None) -> list[User]:
    """The people who write an agency's progress reports and are told about them: its own users and the
    commune officers reporting for it (administrators aside: they may, but it is not their work)."""
    if agency is None:
        return []
    candidates = User.objects.filter(
        Q(agency=agency.pk) | Q(role=Role.COMMUNE), is_active=True, is_superuser=False
    ).exclude(role=Role.ADMIN)
    return [user for user in candidates if can_report_for(user, agency)]


def reviewer_candidates() -> Q:
    """A Q over users: the active officers, who review what is submitted (the workflow's rules decide)."""
    return Q(is_active=True) & (Q(role__in=[Role.ADMIN, Role.PROVINCE, Role.COMMUNE]) | Q(is_superuser=True))


def reviewer_rank(user: User) -> int:
    """Who of the people allowed to review is told first: a commune officer of the area (0) before the
    province (1) before an administrator (2)."""
    role = role_of(user)
    if role == Role.COMMUNE:
        return 0
    if role == Role.PROVINCE:
        return 1
    return 2
