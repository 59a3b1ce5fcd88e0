"""Read-only pages over the administrative map (/areas/): the tree of units on either map, with how many
organisations (that the user may see) each holds, and one unit with its predecessors or successors. They live
in the registry because they count organisations; the areas app is the map alone (docs/decisions/0009)."""

from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from hoptac.accounts.http import SignedInRequest
from hoptac.accounts.models import User
from hoptac.areas import selectors
from hoptac.areas.models import AdminMap, AdminUnit, Level

from . import selectors as registry_selectors


@dataclass
class AreaNode:
    unit: AdminUnit
    children: list["AreaNode"] = field(default_factory=list)
    count: int = 0


def area_tree(*, user: User, admin_map: str) -> tuple[list[AreaNode], dict[int, AreaNode]]:
    """Provinces → (districts →) communes of one map, each with its organisation count."""
    units = list(selectors.admin_unit_list(admin_map=admin_map))
    counts = registry_selectors.organisation_counts_by_commune(user=user, admin_map=admin_map)
    nodes = {unit.pk: AreaNode(unit=unit, count=counts.get(unit.pk, 0)) for unit in units}
    roots: list[AreaNode] = []
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent else roots).append(node)

    def total(node: AreaNode) -> int:
        if node.children:
            node.count = sum(total(child) for child in node.children)
        return node.count

    for root in roots:
        total(root)
    return roots, nodes


def selected_map(value: str | None) -> str:
    return value if value in AdminMap.values else AdminMap.CURRENT


class AreaListView(LoginRequiredMixin, TemplateView):
    request: SignedInRequest
    template_name = "areas/area_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        admin_map = selected_map(self.request.GET.get("map"))
        roots, _nodes = area_tree(user=self.request.user, admin_map=admin_map)
        context.update({"admin_map": admin_map, "maps": AdminMap.choices, "roots": roots})
        return context


class AreaDetailView(LoginRequiredMixin, TemplateView):
    request: SignedInRequest
    template_name = "areas/area_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = selectors.admin_unit_get(pk=self.kwargs["pk"])
        _roots, nodes = area_tree(user=self.request.user, admin_map=unit.map)
        node = nodes[unit.pk]
        context.update(
            {
                "unit": unit,
                "node": node,
                "is_commune": unit.level == Level.COMMUNE,
                "is_legacy": unit.map == AdminMap.LEGACY,
                "successions": selectors.admin_unit_successions(unit=unit)
                if unit.level == Level.COMMUNE and unit.map == AdminMap.LEGACY
                else [],
                "predecessions": selectors.admin_unit_predecessions(unit=unit)
                if unit.level == Level.COMMUNE and unit.map == AdminMap.CURRENT
                else [],
            }
        )
        return context
