"""REST API of imports: upload a file to check it (dry run), follow its progress, read the outcome row by row,
download the annotated copy, then import it — the same steps, rules and services as the import pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from hoptac.accounts.http import SignedInApiRequest
from hoptac.core.downloads import XLSX, attachment
from hoptac.imports import services
from hoptac.imports.models import ImportJob
from hoptac.imports.workbooks import annotated_copy, import_template

from .serializers import ImportJobSerializer, ImportUploadSerializer


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The user's own imports, newest first. POST a file to check it; POST …/commit/ on a checked file (no
    refused row) to import all its rows, or none. Large files run in the background: poll the import until
    its state is no longer `queued` or `running`."""

    request: SignedInApiRequest
    serializer_class = ImportJobSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ImportJob.objects.none()
        return services.import_job_list(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer}, responses={201: ImportJobSerializer}
    )
    def create(self, request):
        """Upload a file and check it (nothing is written to the registry)."""
        payload = ImportUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = services.import_job_start(
            user=request.user, upload=payload.validated_data["file"], year=payload.validated_data.get("year")
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    def get_parsers(self):
        if getattr(self, "action", None) == "create":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    @extend_schema(request=None, responses={201: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """Import all rows of a checked file (a new import, answered here); refused if the check refused rows."""
        source = self.get_object()
        if source.state != ImportJob.State.CHECKED or source.commit:
            raise DjangoValidationError(_("Only a checked file with no refused rows can be imported."))
        job = services.import_job_start(user=request.user, source=source, commit=True)
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def annotated(self, request, pk=None):
        """The uploaded file with the outcome of every row beside it (the page's "annotated copy")."""
        job = self.get_object()
        if not job.result:
            raise NotFound(_("The file has not been checked yet."))
        with job.file.open("rb") as handle:
            content = annotated_copy(handle.read(), job.filename, job.result)
        stem = job.filename.rsplit(".", 1)[0]
        return attachment(content, content_type=XLSX, filename=f"{stem}-ket-qua-kiem-tra.xlsx")

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def template(self, request):
        """The template to fill in: Vietnamese headers and a sheet of allowed values."""
        return attachment(import_template(), content_type=XLSX, filename="mau-nhap-so-dang-ky.xlsx")
