"""Forms of imports: the upload, and the column mapping (one choice per field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Region
from sleutelnet.imports.kinds import Kind
from sleutelnet.imports.models import ImportKind

MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is in the file?"), choices=ImportKind.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), empty_label=None)
    file = forms.FileField(
        label=_("File"), help_text=_("Excel (.xlsx) or CSV, with the column names in the first row. At most 20 MB."),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        if regions.count() == 1:
            self.fields["region"].widget = forms.HiddenInput()
            self.fields["region"].initial = regions.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB. Split it into smaller files."))
        return upload


class MappingForm(forms.Form):
    """For every field of the kind: which column of the file holds it."""

    def __init__(self, *args: Any, kind: Kind, headers: list[str], initial_mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [(h, h) for h in headers if h]
        for col in kind.columns:
            self.fields[f"map_{col.field}"] = forms.ChoiceField(
                label=col.label, choices=choices, required=col.required, help_text=col.help,
                initial=initial_mapping.get(col.field, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {name.removeprefix("map_"): value for name, value in self.cleaned_data.items() if value}


class ImportForm(forms.Form):
    only_valid = forms.BooleanField(
        label=_("Import only the rows without errors; skip the others"), required=False,
    )
