"""AdminUnitQuerySet.rows: the units of a <select> as light rows give the choices the model instances give."""

import pytest

from hoptac.areas.forms import grouped_unit_choices
from hoptac.areas.models import AdminUnit, Level

pytestmark = pytest.mark.django_db


def test_unit_rows_give_the_choices_of_the_units():
    units = (
        AdminUnit.objects.filter(level__in=[Level.DISTRICT, Level.COMMUNE])
        .select_related("parent")
        .order_by("map", "level", "parent__name_sort", "name_sort", "pk")
    )
    rows = units.rows()
    assert len(rows) > 100 and [row.pk for row in rows] == [unit.pk for unit in units]
    assert [(r.name, r.level, r.map, r.parent_id) for r in rows] == [
        (u.name, u.level, u.map, u.parent_id) for u in units
    ]
    communes = [unit for unit in units if unit.level == Level.COMMUNE]
    assert grouped_unit_choices([r for r in rows if r.level == Level.COMMUNE]) == grouped_unit_choices(
        communes
    )
    assert grouped_unit_choices(units.filter(level=Level.PROVINCE).rows()) == []
