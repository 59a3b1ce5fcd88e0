"""One area picker for every filter (hoptac.areas.forms.area_field_setup, decisions 0045 and 0052): the
registry's lists, the rating calendar and the tasks calendar. A user offered units of one of today's provinces
is offered every unit in reach, as before; one offered units of several (a reader of the whole country) the
provinces, then the districts and communes of the chosen area's province; any unit in reach is still accepted;
the calendars accept a province and count its organisations exactly."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.forms import NARROWED_HELP
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.areas.tests.factories import another_province, hai_minh_and_giao_xuan, legacy_commune
from hoptac.areas.tests.test_area_filter import offered
from hoptac.registry.forms import OrganisationListFilter
from hoptac.registry.models import Organisation
from hoptac.scoring import selectors as scoring_selectors
from hoptac.scoring.forms import CalendarFilterForm as RatingCalendarForm
from hoptac.scoring.tests.factories import cooperative, load_shipped
from hoptac.tasks.forms import CalendarFilterForm as TasksCalendarForm

PROVINCES = "Tỉnh/thành phố"
DISTRICTS = "Quận/huyện (trước 1/7/2025)"
YEAR = 2024


def registry_form(user, data):
    request = RequestFactory().get("/registry/", data)
    request.user = user
    return OrganisationListFilter(data or None, queryset=Organisation.objects.none(), request=request).form


def rating_form(user, data):
    return RatingCalendarForm({"year": YEAR, **data}, user=user)


def tasks_form(user, data):
    return TasksCalendarForm(data or None, today=datetime.date(2025, 6, 1))


PICKERS = {"registry": registry_form, "rating calendar": rating_form, "tasks calendar": tasks_form}
SCOPED = {"registry": registry_form, "rating calendar": rating_form}  # units offered by the user's reach


def offered_ids(form) -> set[int]:
    return {
        int(value)
        for _group, options in form.fields["area"].widget.choices
        if isinstance(options, list)
        for value, _label in options
    }


def whole_country_reader():
    return UserFactory(role=Role.PROVINCE)  # a province officer naming no area (decision 0045)


def ninh_binh():
    return AdminUnit.objects.get(map=AdminMap.CURRENT, level=Level.PROVINCE, code="37")


@pytest.mark.django_db
@pytest.mark.parametrize("picker", PICKERS)
def test_a_whole_country_reader_is_offered_the_provinces_then_the_chosen_provinces_units(picker):
    make = PICKERS[picker]
    reader = whole_country_reader()
    hai_minh = legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")
    nam_dinh = hai_minh.province
    everything = offered(make(reader, {}))  # one province of today's map: every unit, not narrowed
    assert "Huyện Hải Hậu" in everything[DISTRICTS]
    province, commune = another_province()

    form = make(reader, {})
    assert set(offered(form)) == {"", PROVINCES}  # the provinces of both maps only
    assert form.fields["area"].help_text == NARROWED_HELP
    assert {"Tỉnh Thử — từ 1/7/2025", "Tỉnh Nam Định — trước 1/7/2025"} <= set(offered(form)[PROVINCES])

    # A unit of former Nam Định (a commune where the picker offers communes, its district, the province): the
    # provinces, then former Nam Định's districts and communes, nothing of another province.
    chosen_units = (
        [hai_minh.parent, nam_dinh] if picker == "tasks calendar" else [hai_minh, hai_minh.parent, nam_dinh]
    )
    nam_dinh_districts = set(
        AdminUnit.objects.filter(level=Level.DISTRICT, province=nam_dinh).values_list("name", flat=True)
    )
    for chosen in chosen_units:
        groups = offered(make(reader, {"area": str(chosen.pk)}))
        assert set(groups[DISTRICTS]) == nam_dinh_districts
        assert "Tỉnh Thử — từ 1/7/2025" not in groups and "Tỉnh Ninh Bình — từ 1/7/2025" not in groups
        if picker != "tasks calendar":
            assert groups["Huyện Hải Hậu — trước 1/7/2025"] == everything["Huyện Hải Hậu — trước 1/7/2025"]
    groups = offered(make(reader, {"area": str(province.pk)}))  # today's other province: its units only
    assert DISTRICTS not in groups and "Huyện Hải Hậu — trước 1/7/2025" not in groups
    if picker != "tasks calendar":
        assert groups["Tỉnh Thử — từ 1/7/2025"] == ["Xã Thử Nghiệm"]


@pytest.mark.django_db
@pytest.mark.parametrize("picker", PICKERS)
def test_every_unit_in_reach_is_accepted_listed_or_not(picker):
    make = PICKERS[picker]
    reader = whole_country_reader()
    another_province()
    for unit in (ninh_binh(), legacy_commune("Xã Hải Minh", "Huyện Hải Hậu").parent):
        form = make(reader, {"area": str(unit.pk)})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["area"] == unit
    # Not listed without a choice, still accepted (a link with ?area= keeps working).
    assert ninh_binh().pk in offered_ids(make(reader, {}))
    hai_hau = legacy_commune("Xã Hải Minh", "Huyện Hải Hậu").parent
    assert hai_hau.pk not in offered_ids(make(reader, {}))
    assert make(reader, {"area": str(hai_hau.pk)}).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize("picker", SCOPED)
def test_a_user_of_one_province_is_offered_every_unit_in_reach_as_before(picker):
    """A province's officer (decision 0043) in an installation of two provinces: not narrowed — their
    province, its communes and the communes of the other map they succeed; nothing of the other province."""
    make = PICKERS[picker]
    another_province()
    officer = UserFactory(role=Role.PROVINCE, areas=[ninh_binh()])
    form = make(officer, {})
    assert form.fields["area"].help_text == ""
    groups = offered(form)
    assert "Xã Hải Minh" in groups["Huyện Hải Hậu — trước 1/7/2025"]
    assert "Tỉnh Thử — từ 1/7/2025" not in groups[PROVINCES]
    assert "Tỉnh Thử — từ 1/7/2025" not in groups
    # Every unit of the scoped query, none other: the list the user had, and a chosen unit changes nothing.
    field = form.fields["area"]
    assert offered_ids(form) == set(field.queryset.values_list("pk", flat=True))
    hai_minh = legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")
    assert offered(make(officer, {"area": str(hai_minh.pk)})) == groups
    # A commune officer: their communes only.
    commune_officer = UserFactory(role=Role.COMMUNE, areas=[hai_minh])
    form = make(commune_officer, {})
    assert form.fields["area"].help_text == ""
    assert "Xã Hải Minh" in offered(form)["Huyện Hải Hậu — trước 1/7/2025"]
    assert "Xã Giao Xuân" not in str(form["area"])


@pytest.mark.django_db
def test_the_tasks_picker_offers_every_province_and_district_in_one_province():
    """The tasks calendar's areas are everyone's (agencies may sit anywhere): in an installation of one
    province of today's map every province and district of both maps, grouped like the registry's."""
    groups = offered(tasks_form(UserFactory(role=Role.COMMUNE), {}))
    assert groups[""] == ["Tất cả địa bàn"]
    assert "Tỉnh Nam Định — trước 1/7/2025" in groups[PROVINCES]
    assert "Huyện Hải Hậu" in groups[DISTRICTS]
    assert sum(len(v) for v in groups.values()) == 1 + AdminUnit.objects.exclude(level=Level.COMMUNE).count()


@pytest.fixture
def two_provinces():
    """Load the schemes, two cooperatives of former Nam Định and one of another province of today's map."""
    load_shipped()
    commune_a, commune_b = hai_minh_and_giao_xuan()
    province, commune = another_province()
    return {
        "a": cooperative(name="Hợp tác xã Hải Minh", commune_legacy=commune_a, year=YEAR),
        "b": cooperative(name="Hợp tác xã Giao Xuân", commune_legacy=commune_b, year=YEAR),
        "other": cooperative(
            name="Hợp tác xã Tỉnh Thử", commune_legacy=None, commune_current=commune, year=YEAR
        ),
        "province": province,
    }


@pytest.mark.django_db(transaction=True)
def test_the_rating_calendar_of_a_province_counts_exactly_after_writes(client, two_provinces):
    """The whole-country reader filters the rating calendar by a province (of either map): the cards and the
    table count its organisations, equal to a fresh count, after a committed write too; its select lists
    the provinces and the chosen province's communes."""
    reader = whole_country_reader()
    client.force_login(reader)
    nam_dinh = legacy_commune("Xã Hải Minh", "Huyện Hải Hậu").province
    cache.clear()

    def check(area: AdminUnit, names: set[str]) -> None:
        response = client.get(reverse("scoring:calendar") + f"?year={YEAR}&area={area.pk}")
        assert response.status_code == 200
        assert response.context["area"] == area
        fresh = scoring_selectors.calendar(user=reader, year=YEAR, area=area)
        assert {o.name for o in fresh} == names
        assert response.context["counts"]["total"] == len(names)
        assert response.context["table"].paginator.count == len(names)
        page = response.content.decode()
        assert all(name in page for name in names)

    check(nam_dinh, {"Hợp tác xã Hải Minh", "Hợp tác xã Giao Xuân"})
    check(two_provinces["province"], {"Hợp tác xã Tỉnh Thử"})
    html = client.get(reverse("scoring:calendar") + f"?year={YEAR}&area={nam_dinh.pk}").content.decode()
    assert ">Xã Hải Minh</option>" in html and "Xã Thử Nghiệm" not in html

    cooperative(
        name="Hợp tác xã Mới", commune_legacy=legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"), year=YEAR
    )
    check(nam_dinh, {"Hợp tác xã Hải Minh", "Hợp tác xã Giao Xuân", "Hợp tác xã Mới"})
    check(two_provinces["province"], {"Hợp tác xã Tỉnh Thử"})


@pytest.mark.django_db
def test_the_tasks_calendar_accepts_a_province(client, two_provinces):
    client.force_login(whole_country_reader())
    response = client.get(reverse("tasks:calendar") + f"?area={two_provinces['province'].pk}")
    assert response.status_code == 200
    assert response.context["flt"].area == two_provinces["province"]
    page = response.content.decode()
    province = two_provinces["province"]
    assert f'<option value="{province.pk}" selected>Tỉnh Thử — từ 1/7/2025</option>' in page
    assert ">Huyện Hải Hậu</option>" not in page  # narrowed to the chosen province
