"""The "area (either map)" filter of list pages (hoptac.areas.forms.area_field_setup, decision 0045): the
<select> written in one pass is Django's own Select's HTML; a user reaching one of today's provinces is offered
every unit; one reaching several (the whole country) the provinces, and the districts and communes of the
chosen area's province only; the choices follow the data after a write."""

import pytest
from django import forms

from hoptac.areas.forms import NARROWED_HELP, area_field_setup
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.areas.tests.factories import another_province, current_commune, district, legacy_commune

pytestmark = pytest.mark.django_db


class AreaForm(forms.Form):
    area = forms.ModelChoiceField(queryset=AdminUnit.objects.select_related("parent"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        area_field_setup(self.fields["area"], chosen=self.data.get("area") if self.is_bound else None)


def offered(form) -> dict[str, list[str]]:
    """The labels a form's area select offers, by group ("" for the options outside a group)."""
    groups: dict[str, list[str]] = {}
    for group, options in form.fields["area"].widget.choices:
        if isinstance(options, list):
            groups[str(group)] = [str(label) for _value, label in options]
        else:
            groups.setdefault("", []).append(str(options))
    return groups


def test_one_province_of_today_every_unit_is_offered():
    form = AreaForm()
    groups = offered(form)
    assert "Xã Hải Minh" in groups["Huyện Hải Hậu — trước 1/7/2025"]
    assert "Huyện Hải Hậu" in groups["Quận/huyện (trước 1/7/2025)"]
    assert current_commune("Xã Hải Anh").name in groups["Tỉnh Ninh Bình — từ 1/7/2025"]
    assert form.fields["area"].help_text == ""
    html = str(form["area"])
    assert '<optgroup label="Huyện Hải Hậu — trước 1/7/2025">' in html
    # The chosen unit changes nothing: the same list.
    chosen = AreaForm({"area": str(legacy_commune("Xã Hải Minh", "Huyện Hải Hậu").pk)})
    assert offered(chosen) == groups
    assert f'<option value="{chosen.data["area"]}" selected>Xã Hải Minh</option>' in str(chosen["area"])


def test_several_provinces_of_today_the_chosen_province_only():
    everything = offered(AreaForm())
    province, commune = another_province()
    form = AreaForm()
    groups = offered(form)
    assert form.fields["area"].help_text == NARROWED_HELP
    assert set(groups) == {"", "Tỉnh/thành phố"}  # provinces of both maps only
    assert (
        "Tỉnh Thử — từ 1/7/2025" in groups["Tỉnh/thành phố"]
        and "Tỉnh Nam Định — trước 1/7/2025" in groups["Tỉnh/thành phố"]
    )
    assert "Tỉnh Ninh Bình — từ 1/7/2025" in groups["Tỉnh/thành phố"]
    assert 'aria-describedby="id_area_helptext"' in str(form["area"])

    # A commune of former Nam Định: the districts and communes of former Nam Định (legacy map) only.
    hai_minh = legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")
    groups = offered(AreaForm({"area": str(hai_minh.pk)}))
    assert groups["Huyện Hải Hậu — trước 1/7/2025"] == everything["Huyện Hải Hậu — trước 1/7/2025"]
    assert "Huyện Hải Hậu" in groups["Quận/huyện (trước 1/7/2025)"]
    legacy_nam_dinh = AdminUnit.objects.filter(
        map=AdminMap.LEGACY, level=Level.COMMUNE, province=hai_minh.province
    )
    assert sum(
        len(v) for k, v in groups.items() if k not in ("", "Tỉnh/thành phố", "Quận/huyện (trước 1/7/2025)")
    ) == (legacy_nam_dinh.count())
    assert "Tỉnh Ninh Bình — từ 1/7/2025" not in groups  # no commune of today's map
    assert str(AreaForm({"area": str(hai_minh.pk)})["area"]).count(" selected") == 1

    # A district, or the province itself: the same province's units.
    assert offered(AreaForm({"area": str(district("Huyện Hải Hậu").pk)})) == groups
    assert offered(AreaForm({"area": str(hai_minh.province_id)})) == groups
    # Today's province: its communes of today's map, no district.
    groups = offered(AreaForm({"area": str(province.pk)}))
    assert (
        groups["Tỉnh Thử — từ 1/7/2025"] == ["Xã Thử Nghiệm"] and "Quận/huyện (trước 1/7/2025)" not in groups
    )
    assert offered(AreaForm({"area": str(commune.pk)})) == groups
    # Nothing, or something that is no unit: the provinces only.
    for value in ("", "abc", "0", "-1"):
        assert set(offered(AreaForm({"area": value}))) == {"", "Tỉnh/thành phố"}


def test_every_unit_in_reach_is_still_accepted_when_not_listed():
    another_province()
    hai_minh = legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")
    form = AreaForm({"area": str(hai_minh.pk)})
    assert form.is_valid() and form.cleaned_data["area"] == hai_minh


def test_the_choices_follow_a_write_to_the_map():
    province, commune = another_province()
    assert offered(AreaForm({"area": str(province.pk)}))["Tỉnh Thử — từ 1/7/2025"] == ["Xã Thử Nghiệm"]
    AdminUnit.objects.create(
        map=AdminMap.CURRENT,
        level=Level.COMMUNE,
        code="99999",
        unit_type="Phường",
        name="Phường Mới",
        short_name="Mới",
        parent=province,
        province=province,
    )
    assert offered(AreaForm({"area": str(province.pk)}))["Tỉnh Thử — từ 1/7/2025"] == [
        "Phường Mới",
        "Xã Thử Nghiệm",
    ]
    commune.delete()
    assert offered(AreaForm({"area": str(province.pk)}))["Tỉnh Thử — từ 1/7/2025"] == ["Phường Mới"]
