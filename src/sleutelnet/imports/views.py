"""Pages of imports: upload, map the columns, see the check, import, undo."""

from __future__ import annotations

import io
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.exports import FORMATS, table_response, xlsx_bytes
from sleutelnet.core.models import Region, Role
from sleutelnet.core.selectors import region_ids, regions_for
from sleutelnet.imports import services
from sleutelnet.imports.forms import ImportForm, MappingForm, UploadForm
from sleutelnet.imports.kinds import KINDS
from sleutelnet.imports.models import ImportBatch, ImportKind, ImportStatus
from sleutelnet.imports.selectors import imports_for
from sleutelnet.web.forms import attach_domain_error


def _regions(request: HttpRequest) -> QuerySet[Region]:
    return regions_for(request.user).filter(id__in=region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]


def index(request: HttpRequest) -> HttpResponse:
    """The region's imports, newest first, and the form to upload a new file."""
    regions = _regions(request)
    form = UploadForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.upload(
                actor=request.user, region=form.cleaned_data["region"], kind=form.cleaned_data["kind"],  # type: ignore[arg-type]
                file_name=upload.name, raw=upload.read(),
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            return redirect("imports:detail", uuid=batch.uuid)
    batches = imports_for(request.user).select_related("created_by", "imported_by")[:50]  # type: ignore[arg-type]
    return render(request, "imports/index.html", {"form": form, "batches": batches, "kinds": ImportKind.choices})


def template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty file with the columns of `kind` in the user's language; the XLSX explains each."""
    spec = KINDS.get(kind)
    if spec is None or fmt not in FORMATS:
        raise Http404
    header = [str(c.label) for c in spec.columns]
    name = f"sleutelnet-{kind}-{translation.get_language()}"
    if fmt == "csv":
        return table_response("csv", header, [], filename=name)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx_bytes(header, [], title=_("Rows"))))
    sheet = book.create_sheet(_("Explanation"))
    sheet.append([_("Column"), _("Must be filled in"), _("What to write"), _("Example")])
    for c in spec.columns:
        sheet.append([str(c.label), _("yes") if c.required else _("no"), str(c.help), c.example])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _batch(request: HttpRequest, uuid: UUID) -> ImportBatch:
    return get_object_or_404(imports_for(request.user).select_related("region", "task"), uuid=uuid)  # type: ignore[arg-type]


def detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """One import: choose the columns, see what the check found, import, or undo."""
    batch = _batch(request, uuid)
    spec = services.kind_of(batch)
    mapping_form = MappingForm(
        request.POST if request.method == "POST" and request.POST.get("step") == "check" else None,
        kind=spec, headers=batch.headers, initial_mapping=batch.mapping,
    )
    import_form = ImportForm(request.POST if request.method == "POST" and request.POST.get("step") == "import" else None)
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "check" and mapping_form.is_valid():
                batch = services.set_mapping(actor=request.user, batch=batch, mapping=mapping_form.mapping())  # type: ignore[arg-type]
                batch = services.start_check(actor=request.user, batch=batch)  # type: ignore[arg-type]
                return redirect("imports:detail", uuid=batch.uuid)
            if step == "import" and import_form.is_valid():
                batch = services.start_import(actor=request.user, batch=batch, only_valid=import_form.cleaned_data["only_valid"])  # type: ignore[arg-type]
                if batch.status == ImportStatus.DONE:
                    messages.success(request, _("The file was imported."))
                return redirect("imports:detail", uuid=batch.uuid)
        except DomainError as exc:
            attach_domain_error(mapping_form if step == "check" else import_form, exc)
            batch.refresh_from_db()
    fields = [c for c in spec.columns if c.field in batch.mapping]
    context = {
        "batch": batch, "spec": spec, "mapping_form": mapping_form, "import_form": import_form,
        "preview_columns": [c.label for c in fields],
        "running": batch.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING),
        "task": batch.task,
    }
    return render(request, "imports/detail.html", context)


@require_POST
def undo(request: HttpRequest, uuid: UUID) -> HttpResponse:
    batch = _batch(request, uuid)
    try:
        services.undo(actor=request.user, batch=batch)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The import was undone."))
    return redirect("imports:detail", uuid=batch.uuid)


def errors(request: HttpRequest, uuid: UUID, fmt: str) -> HttpResponse:
    """The error list of the check, to work through in a spreadsheet."""
    batch = _batch(request, uuid)
    if fmt not in FORMATS:
        raise Http404
    rows = [(e["row"], e["column"], e["message"]) for e in batch.errors]
    return table_response(fmt, [_("Row"), _("Column"), _("What is wrong")], rows, filename=f"errors-{batch.uuid}")
