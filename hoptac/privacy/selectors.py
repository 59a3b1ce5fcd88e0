"""Everything HợpTác stores about one person, found by name, phone or email (administrators only: no scope).

Where personal data lives (hoptac/registry/models.py, hoptac/accounts/models.py): an organisation's
representative (`representative_name`, `representative_title`, `phone`, `email`), the same fields in every
historical version of the organisation (django-simple-history), and a user account (`first_name`,
`last_name`, `email`). No identity-card number is stored anywhere, so none is searched. A name matches
whole, without regard to case or diacritics ("nguyen van an" finds "Nguyễn Văn An", never "Nguyễn Văn Anh");
a phone matches on its digits (+84 912… = 0912…); an email whole, without regard to case."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from hoptac.accounts.models import User
from hoptac.core.text import fold
from hoptac.registry.models import Organisation

from .models import DataSubjectRequest

# The personal fields of an organisation, in the order shown and exported.
ORGANISATION_PERSONAL_FIELDS = ["representative_name", "representative_title", "phone", "email"]
# Why these reads ignore scopes: a request is handled by an administrator, over everything stored.
WHOLE_REGISTRY = "a data subject's request covers everything stored about the person (administrators only)"
USER_PERSONAL_FIELDS = ["first_name", "last_name", "email"]


def phone_key(text: str | None) -> str:
    """A phone number's digits, the country code +84 read as the leading 0."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


@dataclass
class Person:
    """What identifies the person: a folded full name, phone digits, a lower-case email (any may be empty)."""

    name: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def of(cls, request: DataSubjectRequest) -> "Person":
        return cls(
            name=fold(request.subject_name),
            phone=phone_key(request.subject_phone),
            email=request.subject_email.lower(),
        )

    def __bool__(self) -> bool:
        return bool(self.name or self.phone or self.email)


@dataclass
class Matches:
    """The stored values of the person's identifiers in one table: which raw names, phones and emails are theirs."""

    names: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)

    def q(
        self, name_field: str = "representative_name", phone_field: str = "phone", email_field: str = "email"
    ) -> Q:
        q = Q(pk__in=[])
        if self.names:
            q |= Q(**{f"{name_field}__in": self.names})
        if self.phones:
            q |= Q(**{f"{phone_field}__in": self.phones})
        if self.emails:
            q |= Q(**{f"{email_field}__in": self.emails})
        return q


def _matches(
    queryset: QuerySet, person: Person, name_field: str, phone_field: str | None, email_field: str
) -> Matches:
    """The distinct stored values (a few thousand at most) compared in Python, where the folding is."""
    found = Matches()
    if person.name:
        names = queryset.exclude(**{name_field: ""}).values_list(name_field, flat=True).distinct()
        found.names = {n for n in names if fold(n) == person.name}
    if person.phone and phone_field:
        phones = queryset.exclude(**{phone_field: ""}).values_list(phone_field, flat=True).distinct()
        found.phones = {p for p in phones if phone_key(p) == person.phone}
    if person.email:
        emails = queryset.filter(**{f"{email_field}__iexact": person.email}).values_list(
            email_field, flat=True
        )
        found.emails = set(emails.distinct())
    return found


def organisation_matches(person: Person) -> Matches:
    """Over the organisations and all their past versions (a former representative is found too)."""
    historical = Organisation.history.model.objects.all()
    return _matches(historical, person, "representative_name", "phone", "email")


@dataclass
class PersonData:
    person: Person
    matches: Matches
    organisations: list[Organisation]
    history: list[Any]  # HistoricalOrganisation rows that hold the person's data
    users: list[User]
    user_names: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.organisations or self.history or self.users)


def _user_query(person: Person) -> Q:
    q = Q(pk__in=[])
    if person.email:
        q |= Q(email__iexact=person.email)
    return q


def users_of(person: Person) -> list[User]:
    users = list(User.objects.filter(_user_query(person)))
    if person.name:
        seen = {u.pk for u in users}
        candidates = User.objects.exclude(last_name="", first_name="").exclude(pk__in=seen)
        users += [u for u in candidates if fold(u.get_full_name()) == person.name]
    return sorted(users, key=lambda u: u.username)


def person_data(request: DataSubjectRequest) -> PersonData:
    """Everything stored about the request's person: organisations whose current record names them, every
    historical version that does (current ones included), and user accounts."""
    person = Person.of(request)
    if not person:
        return PersonData(person, Matches(), [], [], [])
    matches = organisation_matches(person)
    organisations = list(
        Organisation.objects.unrestricted(WHOLE_REGISTRY)
        .filter(matches.q())
        .select_related("commune_legacy", "commune_current")
        .order_by("name_sort")
    )
    history = list(
        Organisation.history.model.objects.filter(matches.q())
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    return PersonData(person, matches, organisations, history, users_of(person))
