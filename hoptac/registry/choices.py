from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HTX = "htx", _("Cooperative (HTX)")
    LHHTX = "lhhtx", _("Cooperative union (LHHTX)")
    THT = "tht", _("Cooperative group (THT)")
    QTDND = "qtdnd", _("People's credit fund")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    INDUSTRY_HANDICRAFT = "industry", _("Industry – small industry and handicrafts")
    CONSTRUCTION = "construction", _("Construction")
    TRADE_SERVICES = "trade", _("Trade – services")
    TRANSPORT = "transport", _("Transport")
    CREDIT = "credit", _("Credit")
    ENVIRONMENT = "environment", _("Environment")
    HOUSING = "housing", _("Housing")
    OTHER = "other", _("Other")


class SubSector(models.TextChoices):
    CROPS = "crops", _("Crop farming")
    LIVESTOCK = "livestock", _("Livestock")
    AQUACULTURE = "aquaculture", _("Fisheries")
    FORESTRY = "forestry", _("Forestry")
    SALT = "salt", _("Salt making")
    GENERAL_SERVICES = "general_services", _("General agricultural services")


class LegalStatus(models.TextChoices):
    ACTIVE = "active", _("Operating")
    SUSPENDED = "suspended", _("Temporarily suspended")
    STOPPED = "stopped", _("Stopped operating")
    DISSOLVING = "dissolving", _("Being dissolved")
    DISSOLVED = "dissolved", _("Dissolved")
    NOT_REORGANISED = "not_reorganised", _("Not yet reorganised under the Law")


# Statuses under which an organisation still exists on the books (it counts in "number of HTX").
EXISTING_STATUSES = [
    LegalStatus.ACTIVE,
    LegalStatus.SUSPENDED,
    LegalStatus.STOPPED,
    LegalStatus.DISSOLVING,
    LegalStatus.NOT_REORGANISED,
]
