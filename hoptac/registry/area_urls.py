from django.urls import path

from . import area_views as views

# The pages over the map keep their /areas/ addresses and their "areas:" names.
app_name = "areas"
urlpatterns = [
    path("", views.AreaListView.as_view(), name="area_list"),
    path("<int:pk>/", views.AreaDetailView.as_view(), name="area_detail"),
]
